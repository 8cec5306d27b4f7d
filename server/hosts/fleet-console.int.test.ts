import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView, GuestStateEvent, GuestView } from "../../lib/shared/protocol";
import { io } from "socket.io-client";
import { waitFor, type TestSocket } from "../test-support/daemon-harness";
import { FleetRig } from "../test-support/fleet-rig";

// A console of a guest on host b, opened through host a's daemon: typing and echo, one writer
// among viewers of both hosts, resume after a's socket drops with nothing lost; and a guest's
// state changes on b reaching a socket on a.
describe("consoles and live state across hosts (real daemons, real kernels, PostgreSQL)", () => {
  const rig = new FleetRig();
  let gb: GuestView;

  beforeAll(async () => {
    await rig.start();
    gb = await rig.createGuestOn(rig.b, "fleet-console-b");
    await rig.b.startGuest(gb.id);
  });

  afterAll(async () => {
    await rig.cleanup();
    expect(rig.leftovers()).toEqual([]);
    expect(fs.existsSync(rig.cluster!.dir)).toBe(false);
  });

  it("types into b's guest through a and sees the echo; b's own viewer watches the same console", async () => {
    const sa = await rig.a.socket();
    const viaA = await rig.a.attachConsole(sa, gb.id);
    expect(viaA.role).toBe("writer");
    await viaA.type("echo fleet-$((6*7))\r");
    await viaA.expect(/fleet-42/);

    const sb = await rig.b.socket();
    const atB = await rig.b.attachConsole(sb, gb.id);
    expect([atB.role, atB.epoch]).toEqual(["watcher", viaA.epoch]);
    await waitFor("a to see both viewers", () => viaA.viewers?.viewers.length === 2, 30_000);
    expect(viaA.viewers!.writerId).toBe(viaA.viewerId);
    expect(await atB.type("x")).toEqual({ ok: false, error: expect.stringContaining("admin is typing") });
    // The console's figures are b's, read through a.
    const stats = await rig.a.api<{ viewers: unknown[] }>("GET", `/api/guests/${gb.id}/console`);
    expect(stats.body.viewers).toHaveLength(2);
    // Recorded once, by b, the host whose console it is.
    // (Socket events are recorded as they are answered: b may still be writing.)
    const attaches = async () =>
      (await rig.a.api<AuditEntryView[]>("GET", "/api/audit?action=console.attach")).body.filter(
        (e) => e.target === gb.id,
      );
    await waitFor("b to record both attaches", async () => (await attaches()).length >= 2, 30_000);
    expect((await attaches()).map((e) => e.host)).toEqual(["fleet-b", "fleet-b"]);
    sa.close(); // its tap must not see the restart below
  });

  it("attaches two of b's consoles at once through one socket on a", async () => {
    const other = await rig.createGuestOn(rig.b, "fleet-console-b3");
    await rig.b.startGuest(other.id);
    const sa = await rig.a.socket();
    const [one, two] = await Promise.all([rig.a.attachConsole(sa, gb.id, null), rig.a.attachConsole(sa, other.id)]);
    expect([one.epoch, two.epoch].every(Boolean)).toBe(true);
    await two.type("echo two-$((1+1))\r");
    await two.expect(/two-2/);
    expect(one.output).not.toContain("two-2");
    sa.close();
    expect((await rig.b.api("POST", `/api/guests/${other.id}/force-off`)).status).toBe(202);
    await rig.b.waitForState(other.id, "stopped");
  });

  it("resumes through a after a's socket dropped, with nothing missed", async () => {
    const sa = await rig.a.socket();
    const before = await rig.a.attachConsole(sa, gb.id);
    const sb = await rig.b.socket();
    const atB = await rig.b.attachConsole(sb, gb.id);
    await before.takeControl();
    await before.type("echo before-$((1+1))\r");
    await before.expect(/before-2/);
    const mark = { epoch: before.epoch, seq: before.seq };
    const viewers = atB.viewers!.viewers.length;

    sa.disconnect();
    await waitFor("b to drop a's viewer", () => atB.viewers?.viewers.length === viewers - 1, 30_000);
    expect(await atB.type("echo gap-$((1+1)); echo gap-$((2+1))\r")).toEqual({ ok: true });
    await atB.expect(/gap-3/);

    const sa2 = await rig.a.socket();
    const after = await rig.a.attachConsole(sa2, gb.id, { cols: 80, rows: 24 }, { resume: mark });
    expect(after.mode).toBe("resume");
    // Exactly what was printed since the mark, in one piece: the end of what b's own viewer saw.
    await waitFor(
      "the resumed view to catch up",
      () => after.output.includes("gap-3") && atB.output.endsWith(after.output),
      30_000,
    );
    expect(after.output).toContain("echo gap-$((1+1))");
    expect(after.output).toMatch(/gap-2\r\ngap-3/);
    expect(after.output).not.toContain("before-2");
    sa2.close();
  });

  it("pauses a viewer on a that stops acknowledging, alone, and resumes it when it acknowledges", async () => {
    type Stats = { highWatermarkChars: number; viewers: Array<{ id: string; paused: boolean; unackedChars: number }> };
    const stats = async () => (await rig.a.api<Stats>("GET", `/api/guests/${gb.id}/console`)).body;
    const sb = await rig.b.socket();
    const fast = await rig.b.attachConsole(sb, gb.id, null);
    const sa = await rig.a.socket();
    const stalled = await rig.a.attachConsole(sa, gb.id, null, { autoAck: false });
    await fast.takeControl();
    // Past the window (so the viewer must pause), within the ring (so it resumes, not resyncs).
    const line = 1024;
    const lines = Math.ceil((1.25 * (await stats()).highWatermarkChars) / (line + 2));
    await fast.type(
      `s=y; for i in 1 2 3 4 5 6 7 8 9 10; do s=$s$s; done; yes $s | head -n ${lines}; echo FLOW-$((2+2))\r`,
    );
    await fast.expect(/\r\nFLOW-4\r\n/, 4 * 60_000);
    const during = (await stats()).viewers.find((v) => v.id === stalled.viewerId)!;
    expect(during.paused).toBe(true);
    expect(during.unackedChars).toBeLessThanOrEqual((await stats()).highWatermarkChars + 64 * 1024);
    expect(stalled.output).not.toContain("FLOW-4");
    stalled.ack(); // through a to b: the rest follows, in order, with nothing missed
    await waitFor(
      "the stalled viewer to catch up",
      () => {
        stalled.ack();
        return stalled.output.includes("FLOW-4");
      },
      60_000,
    );
    expect(stalled.resyncs).toBe(0);
    expect(stalled.output.split(`${"y".repeat(line)}\r\n`).length - 1).toBe(lines);
    sa.close();
    sb.close();
  });

  it("refuses a console link with a bad or used pass, and lets b decide what a good one's person may do", async () => {
    const link = (fleet: string) =>
      io(rig.b.url, { transports: ["websocket"], auth: { fleet }, reconnection: false }) as TestSocket;
    const refused = (s: TestSocket) => new Promise<Error>((resolve) => s.once("connect_error", resolve));
    const junk = link("not-a-pass");
    expect((await refused(junk)).message).toContain("a console link from another Corral host was refused");
    junk.close();

    await rig.a.userSession("dev-c", "developer");
    const users = await rig.b.api<Array<{ id: string; username: string }>>("GET", "/api/users");
    const dev = users.body.find((u) => u.username === "dev-c")!;
    const pass = (await rig.passes("fleet-a")).issue(
      (await rig.hostId("fleet-b")).id,
      { user: dev.id, scope: "role", ip: null },
      {
        socket: { viewer: "viewer-of-dev-c" },
      },
    );
    const good = link(pass);
    try {
      await waitFor("the link to connect", () => good.connected, 30_000);
      expect(await good.emitWithAck("console:attach", { guestId: gb.id })).toEqual({
        ok: false,
        error: expect.stringContaining("No such guest"),
      });
      const again = link(pass);
      expect((await refused(again)).message).toContain("used before");
      again.close();
    } finally {
      good.close();
    }
  });

  it("attaches a's viewer again when b's daemon restarts under it, and typing goes on", async () => {
    const sa = await rig.a.socket();
    const tap = await rig.a.attachConsole(sa, gb.id);
    // A restarted daemon numbers its console anew: the screen comes as a snapshot of a new epoch.
    sa.on("console:snapshot", (e) => (tap.epoch = e.epoch));
    const snapshots = tap.snapshots;
    await rig.b.stop("SIGKILL");
    await rig.b.start();
    await waitFor("a's viewer to get b's screen again", () => tap.snapshots > snapshots, 60_000);
    await waitFor("a's viewer to hold the keyboard", () => tap.viewers?.writerId === tap.viewerId, 30_000);
    expect(await tap.type("echo again-$((2*3))\r")).toEqual({ ok: true });
    await tap.expect(/again-6/);
  });

  it("brings b's state changes and new guests to a socket on a", async () => {
    const sa = await rig.a.socket();
    const seen: GuestStateEvent[] = [];
    const created: string[] = [];
    sa.on("guest:state", (e) => seen.push(e));
    sa.on("guest:created", (e) => created.push(e.id));
    expect(await sa.emitWithAck("guests:watch")).toEqual({ ok: true });
    expect((await rig.b.api("POST", `/api/guests/${gb.id}/stop`)).status).toBe(202);
    await waitFor("a to hear gb stopped", () => seen.some((e) => e.id === gb.id && e.state === "stopped"), 60_000);
    // The changes, in order. A state may be announced again unchanged: the boot's analysis,
    // stored after the exit, tells browsers the boot's health with the guest as it is
    // (boots/boot-analyst.ts) — before or after this check, as the two daemons' timing has it.
    const states = seen.filter((e) => e.id === gb.id).map((e) => e.state);
    expect(states.filter((s, i) => s !== states[i - 1])).toEqual(["stopping", "stopped"]);
    const g2 = await rig.createGuestOn(rig.b, "fleet-console-b2");
    await waitFor("a to hear of b's new guest", () => created.includes(g2.id), 30_000);
  });
});
