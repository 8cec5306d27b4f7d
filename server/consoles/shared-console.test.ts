import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConsoleDataEvent, ConsoleSnapshotEvent, ConsoleViewersEvent } from "../../lib/shared/protocol";
import { SharedConsole, RING_CHARS } from "./shared-console";
import { HIGH_WATERMARK, MAX_MESSAGE } from "./console-viewer";
import { COALESCE_MS } from "./flush-pace";

// Snapshots come when the headless terminal has parsed what came before (on its own
// timers), output one turn of the event loop later: tests wait for what they expect to see,
// never for a fixed time, with a deadline that only catches a hang.
async function until(cond: () => boolean, what = "the expected console state") {
  const deadline = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A fake browser: records what it receives; acks everything at once unless told not to. */
class FakeViewer {
  data: ConsoleDataEvent[] = [];
  snapshots: ConsoleSnapshotEvent[] = [];
  viewers: ConsoleViewersEvent[] = [];
  constructor(
    readonly gc: SharedConsole,
    readonly id: string,
    readonly autoAck = true,
  ) {}
  attach(resume?: { epoch: string; seq: number }) {
    return this.gc.attach({
      id: this.id,
      name: this.id,
      resume,
      transport: {
        data: (e) => {
          this.data.push(e);
          if (this.autoAck) this.gc.ack(this.id, e.seq);
        },
        snapshot: (e) => {
          this.snapshots.push(e);
          if (this.autoAck) this.gc.ack(this.id, e.seq);
        },
        viewers: (e) => this.viewers.push(e),
      },
    });
  }
  get text(): string {
    return this.data.flatMap((d) => d.items.map((i) => (typeof i === "string" ? i : `[boot ${i.boot}]`))).join("");
  }
  get lastSeq(): number {
    return Math.max(0, ...this.data.map((d) => d.seq), ...this.snapshots.map((s) => s.seq));
  }
}

describe("SharedConsole", () => {
  it("gives a late viewer the current screen, then only what follows — no gap, no repeat", async () => {
    const gc = new SharedConsole("g", { cols: 40, rows: 5 });
    gc.output("line one\r\nline two\r\n");
    const v = new FakeViewer(gc, "a");
    expect(v.attach().mode).toBe("snapshot");
    gc.output("after attach\r\n");
    await until(() => v.text === "after attach\r\n");
    gc.output("later\r\n");
    await until(() => v.text.endsWith("later\r\n"));
    expect(v.snapshots).toHaveLength(1);
    expect(v.snapshots[0].screen).toContain("line two");
    expect(v.snapshots[0].screen).not.toContain("after attach");
    expect(v.text).toBe("after attach\r\nlater\r\n");
  });

  it("fans the same numbered output out to every viewer and marks new boots", async () => {
    const gc = new SharedConsole("g");
    const a = new FakeViewer(gc, "a");
    const b = new FakeViewer(gc, "b");
    a.attach();
    b.attach();
    await until(() => a.snapshots.length === 1 && b.snapshots.length === 1);
    gc.output("x");
    gc.newBoot(2);
    gc.output("y");
    await until(() => a.text.endsWith("y") && b.text.endsWith("y"));
    expect(a.text).toBe("x[boot 2]y");
    expect(b.text).toBe(a.text);
    expect(a.lastSeq).toBe(b.lastSeq);
  });

  it("has one writer: watchers are refused until they take control, and everyone hears who took it", async () => {
    const gc = new SharedConsole("g");
    const writes: string[] = [];
    gc.connect({ write: (d) => writes.push(d), resize() {} }, 1);
    const a = new FakeViewer(gc, "alice");
    const b = new FakeViewer(gc, "bob");
    expect(a.attach().role).toBe("writer");
    expect(b.attach().role).toBe("watcher");
    expect(gc.input("bob", "rm -rf /\r")).toMatch(/watching: alice is typing/);
    expect(gc.input("alice", "ls\r")).toBeNull();
    gc.takeControl("bob");
    expect(gc.input("alice", "ls\r")).toMatch(/bob is typing/);
    expect(gc.input("bob", "pwd\r")).toBeNull();
    expect(writes).toEqual(["ls\r", "pwd\r"]);
    expect(a.viewers.at(-1)).toMatchObject({ writerId: "bob", control: { to: "bob", from: "alice" } });
    gc.detach("bob");
    expect(a.viewers.at(-1)?.writerId).toBeNull();
    expect(gc.input("alice", "whoami\r")).toBeNull(); // nobody typing: the first to type takes it
  });

  it("resumes a viewer from the number it last saw with exactly what it missed", async () => {
    const gc = new SharedConsole("g");
    const a = new FakeViewer(gc, "a");
    const { epoch } = a.attach();
    await until(() => a.snapshots.length === 1);
    gc.output("one ");
    await until(() => a.text === "one ");
    const seen = a.lastSeq;
    gc.detach("a");
    gc.output("two ");
    gc.newBoot(5);
    gc.output("three");
    const again = new FakeViewer(gc, "a2");
    expect(again.attach({ epoch, seq: seen }).mode).toBe("resume");
    await until(() => again.text.endsWith("three"));
    expect(again.snapshots).toHaveLength(0);
    expect(again.text).toBe("two [boot 5]three");
    // Another epoch (the daemon restarted) or a number from the future: a snapshot instead.
    expect(new FakeViewer(gc, "x").attach({ epoch: "other", seq: seen }).mode).toBe("snapshot");
    expect(new FakeViewer(gc, "y").attach({ epoch, seq: 10_000 }).mode).toBe("snapshot");
  });

  it("never has more than the high watermark in flight to a viewer that does not ack", async () => {
    const gc = new SharedConsole("g");
    const slow = new FakeViewer(gc, "slow", false);
    const fast = new FakeViewer(gc, "fast");
    slow.attach();
    fast.attach();
    await until(() => slow.snapshots.length === 1 && fast.snapshots.length === 1);
    gc.ack("slow", slow.snapshots[0].seq);
    const chunk = "z".repeat(4096);
    for (let i = 0; i < 200; i++) gc.output(chunk);
    await until(() => fast.text.length === 200 * 4096, "the fast viewer to receive everything");
    const slowStats = gc.stats().viewers.find((v) => v.id === "slow")!;
    expect(slowStats.paused).toBe(true);
    expect(slowStats.unackedChars).toBeLessThanOrEqual(HIGH_WATERMARK + MAX_MESSAGE);
    expect(fast.text.length).toBe(200 * 4096); // the fast viewer got everything meanwhile
    expect(slow.data.every((d) => d.items.join("").length <= MAX_MESSAGE + 4096)).toBe(true);
  });

  it("resyncs a viewer with a snapshot once the ring dropped what it still needed, and stays bounded", async () => {
    const gc = new SharedConsole("g", { cols: 20, rows: 3 });
    const slow = new FakeViewer(gc, "slow", false);
    slow.attach();
    await until(() => slow.snapshots.length === 1);
    gc.ack("slow", slow.snapshots[0].seq);
    const line = (i: number) => `${i}`.padEnd(4095, ".") + "\n";
    // First enough to fill its window (it stops acking, so it pauses), then enough for the
    // ring to drop what it still needs.
    for (let i = 0; i < 100; i++) gc.output(line(i));
    await until(() => gc.stats().viewers[0].paused, "the slow viewer to be paused");
    for (let i = 100; i < 600; i++) gc.output(line(i));
    expect(gc.stats().ringChars).toBeLessThanOrEqual(RING_CHARS);
    expect(slow.snapshots).toHaveLength(1);
    gc.ack("slow", slow.lastSeq); // it wakes up far behind
    await until(() => slow.snapshots.length === 2);
    const resync = slow.snapshots.at(-1)!;
    expect(slow.snapshots).toHaveLength(2);
    expect(resync.resynced).toBe(true);
    expect(resync.screen).toContain("599");
    gc.ack("slow", resync.seq);
    gc.output("after");
    await until(() => slow.data.length > 0 && slow.text.endsWith("after"));
    expect(slow.data.at(-1)?.items).toEqual(["after"]);
  });

  it("encodes once for viewers in step; a viewer behind gets its own messages", async () => {
    const shared: Array<{ ids: string[]; seq: number }> = [];
    const gc = new SharedConsole("g", undefined, (ids, e) => {
      shared.push({ ids, seq: e.seq });
      for (const id of ids) viewersById.get(id)!.data.push(e);
      ids.forEach((id) => gc.ack(id, e.seq));
      return true;
    });
    const viewersById = new Map<string, FakeViewer>();
    for (const id of ["a", "b", "c"]) {
      const v = new FakeViewer(gc, id, id !== "c");
      viewersById.set(id, v);
      v.attach();
    }
    await until(() => [...viewersById.values()].every((v) => v.snapshots.length === 1));
    gc.ack("c", viewersById.get("c")!.snapshots[0].seq);
    gc.output("hello");
    await until(() => shared.length === 1);
    expect(shared).toEqual([{ ids: ["a", "b", "c"], seq: 1 }]);
    gc.output(" world"); // c has not acked: it is still in step (room left), so all three again
    await until(() => viewersById.get("a")!.text === "hello world");
    expect(shared.at(-1)?.ids).toEqual(["a", "b", "c"]);
    expect(viewersById.get("a")!.text).toBe("hello world");
  });

  it("lets only the writer resize the guest's terminal", () => {
    const gc = new SharedConsole("g");
    const sizes: string[] = [];
    gc.connect({ write() {}, resize: (c, r) => sizes.push(`${c}x${r}`) }, 1);
    new FakeViewer(gc, "w").attach();
    new FakeViewer(gc, "v").attach();
    gc.resize("v", 200, 60);
    gc.resize("w", 100, 30);
    expect(sizes).toEqual(["100x30"]);
    expect(gc.size).toEqual({ cols: 100, rows: 30 });
  });

  it("gives a kernel the size its writer chose while it was being started", () => {
    const gc = new SharedConsole("g");
    new FakeViewer(gc, "w").attach();
    // The start read 80x24 for the new kernel; the writer's terminal was fitted before it ran.
    gc.resize("w", 124, 40);
    const sizes: string[] = [];
    gc.connect({ write() {}, resize: (c, r) => sizes.push(`${c}x${r}`) }, 1, { kernelSize: { cols: 80, rows: 24 } });
    expect(sizes).toEqual(["124x40"]);
    // Started with the size it has: nothing to send.
    gc.connect({ write() {}, resize: (c, r) => sizes.push(`${c}x${r}`) }, 2, { kernelSize: { cols: 124, rows: 40 } });
    expect(sizes).toEqual(["124x40"]);
  });
});

describe("SharedConsole while busy", () => {
  afterEach(() => void vi.useRealTimers());

  it("gives ten viewers of a busy console every byte in order, in fewer messages; an echo goes at once", async () => {
    const sharedSends: string[][] = [];
    const viewers: FakeViewer[] = [];
    const gc = new SharedConsole("g", undefined, (ids, e) => {
      sharedSends.push(ids);
      for (const id of ids) viewers.find((v) => v.id === id)!.data.push(e);
      ids.forEach((id) => gc.ack(id, e.seq));
      return true;
    });
    const typed: string[] = [];
    // Nothing is queued before the clock turns fake (no boot divider: announce false).
    gc.connect({ write: (d) => typed.push(d), resize() {} }, 1, { announce: false });
    for (let i = 0; i < 10; i++) viewers.push(new FakeViewer(gc, `v${i}`));
    viewers.forEach((v) => v.attach());
    await until(() => viewers.every((v) => v.snapshots.length === 1));
    // From here the clock is fake: which turn or millisecond a message goes in is exact.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "performance"] });
    let expected = "";
    for (let i = 0; i < 500; i++) {
      const piece = `line ${i}\r\n`;
      expected += piece;
      gc.output(piece);
      vi.advanceTimersByTime(2); // a keeper batch every 2 ms: a flood
    }
    vi.advanceTimersByTime(COALESCE_MS.last);
    for (const v of viewers) expect(v.text).toBe(expected);
    expect(sharedSends.every((ids) => ids.length === 10)).toBe(true); // in step: encoded once each
    expect(viewers[0].data.length).toBeLessThan(500 / 10);
    // Mid-flood output waits for its window; the echo of a key typed now does not.
    gc.output("flood ");
    vi.advanceTimersByTime(0);
    expect(viewers[0].text.endsWith("flood ")).toBe(false);
    expect(gc.input("v0", "a")).toBeNull();
    gc.output("a");
    vi.advanceTimersByTime(0);
    for (const v of viewers) expect(v.text).toBe(`${expected}flood a`);
    expect(typed).toEqual(["a"]);
    gc.close();
  });
});
