import { describe, expect, it } from "vitest";
import { GuestConsole, type ConsoleEvent } from "./console-hub";

function collect(gc: GuestConsole): ConsoleEvent[] {
  const events: ConsoleEvent[] = [];
  gc.attach((e) => events.push(e));
  return events;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe("GuestConsole", () => {
  it("gives a late viewer the current screen, then only what follows — no gap, no repeat", async () => {
    const gc = new GuestConsole({ cols: 40, rows: 5 });
    gc.output("line one\r\nline two\r\n");
    const events = collect(gc);
    gc.output("after attach\r\n"); // arrives while the snapshot is being taken
    await tick();
    gc.output("later\r\n");
    expect(events[0].type).toBe("snapshot");
    const screen = (events[0] as Extract<ConsoleEvent, { type: "snapshot" }>).snapshot.screen;
    expect(screen).toContain("line one");
    expect(screen).toContain("line two");
    expect(screen).not.toContain("after attach");
    expect(events.slice(1)).toEqual([
      { type: "output", data: "after attach\r\n" },
      { type: "output", data: "later\r\n" },
    ]);
  });

  it("fans output out to every viewer and stops after detach", async () => {
    const gc = new GuestConsole();
    const a: ConsoleEvent[] = [];
    const b: ConsoleEvent[] = [];
    gc.attach((e) => a.push(e));
    const detachB = gc.attach((e) => b.push(e));
    await tick();
    gc.output("x");
    detachB();
    gc.output("y");
    expect(a.filter((e) => e.type === "output").map((e) => (e as { data: string }).data)).toEqual(["x", "y"]);
    expect(b.filter((e) => e.type === "output").map((e) => (e as { data: string }).data)).toEqual(["x"]);
  });

  it("passes input and resizes to the running kernel only", () => {
    const gc = new GuestConsole({ cols: 80, rows: 24 });
    const writes: string[] = [];
    const sizes: string[] = [];
    expect(gc.input("ls\r")).toBe(false);
    gc.connect({ write: (d) => writes.push(d), resize: (c, r) => sizes.push(`${c}x${r}`) }, 1);
    expect(gc.input("ls\r")).toBe(true);
    gc.resize(100, 30);
    gc.resize(100, 30);
    gc.disconnect();
    expect(gc.input("more\r")).toBe(false);
    expect(writes).toEqual(["ls\r"]);
    expect(sizes).toEqual(["100x30"]);
  });

  it("announces each new boot to attached viewers", async () => {
    const gc = new GuestConsole();
    const events = collect(gc);
    await tick();
    gc.connect({ write() {}, resize() {} }, 3);
    expect(events.at(-1)).toEqual({ type: "boot", bootNumber: 3 });
  });
});
