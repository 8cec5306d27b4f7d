import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestView, MetricsSampleEvent } from "../../lib/shared/protocol";
import { probeContextSupport } from "../lxc/host-support";
import { TestDaemon, waitFor, type ConsoleTap, type TestSocket } from "../test-support/daemon-harness";

// Metrics of a real context guest (an LXC container) read from its cgroup, beside a real UML
// guest read from /proc, by one daemon sampling once a second. Needs what context guests need
// (scripts/setup.sh); elsewhere the suite says why it is skipped.
const support = probeContextSupport(process.cwd());

describe.skipIf(!support.available)("metrics of context guests (real LXC)", () => {
  const daemon = new TestDaemon({ CORRAL_METRICS_INTERVAL_SECONDS: "1" });
  const events: MetricsSampleEvent[] = [];
  let socket: TestSocket;
  let ctx: GuestView;
  let uml: GuestView;
  let tap: ConsoleTap;

  beforeAll(async () => {
    await daemon.start();
    socket = await daemon.socket();
    socket.on("metrics:sample", (e) => events.push(e));
    expect((await socket.emitWithAck("metrics:watch")).ok).toBe(true);
    ctx = await daemon.createGuest("ctx-metrics", { kind: "context", network: "none", memoryMiB: 64 });
    uml = await daemon.createGuest("uml-metrics");
    tap = await daemon.attachConsole(socket, ctx.id, { cols: 100, rows: 30 });
    await Promise.all([daemon.startGuest(ctx.id), daemon.startGuest(uml.id)]);
    // The shell answers once a typed marker comes back (busybox ash eats the first bytes after its prompt).
    await waitFor(
      "the context guest's shell to answer",
      async () => {
        await tap.type("echo UP-MARK\r");
        return tap.expect(/\nUP-MARK\r/, 1000).catch(() => null);
      },
      60_000,
    );
  });
  afterAll(async () => {
    for (const g of [ctx, uml]) {
      if (!g) continue;
      await daemon.api("POST", `/api/guests/${g.id}/force-off`);
      await daemon.waitForState(g.id, "stopped");
    }
    await daemon.cleanup();
  });

  const since = (ms: number) => events.filter((e) => Date.parse(e.at) >= ms);
  const samplesOf = (id: string, from: number) => since(from).flatMap((e) => e.guests.filter((g) => g.guestId === id));

  it("samples both kinds in one tick, the context guest's memory from its cgroup", async () => {
    const from = Date.now();
    const tick = await waitFor(
      "a tick with both guests running",
      () =>
        since(from).find(
          (e) =>
            e.guests.some((g) => g.guestId === uml.id) &&
            e.guests.some((g) => g.guestId === ctx.id && g.guestMemUsedKiB !== null),
        ),
      120_000,
    );
    const s = tick.guests.find((g) => g.guestId === ctx.id)!;
    // The container's charge (init and a shell) and its monitor's: more than nothing, well under 64 MiB.
    expect(s.hostMemKiB).toBeGreaterThan(0);
    expect(s.hostMemKiB).toBeLessThanOrEqual(64 * 1024);
    expect(s.guestMemUsedKiB!).toBeGreaterThan(0);
    expect(s.guestMemUsedKiB!).toBeLessThanOrEqual(s.hostMemKiB);
    // Its own view of its total is its limit; its load would be the host's, so it has none.
    expect(s.guestMemTotalKiB).toBe(64 * 1024);
    expect(s.guestLoad1).toBeNull();
    expect(tick.host.guestsRunning).toBe(2);
    expect(tick.host.guestHostMemKiB).toBeCloseTo(
      tick.guests.reduce((n, g) => n + g.hostMemKiB, 0),
      6,
    );
  });

  it("counts memory the guest's processes take", async () => {
    const before = samplesOf(ctx.id, Date.now() - 3000).at(-1)!;
    // A background awk holding a 16 MiB string (anonymous memory) while it waits.
    await tap.type(`awk 'BEGIN { s = sprintf("%16777216s", ""); system("sleep 600") }' &\r`);
    const grown = await waitFor(
      "a sample with the 16 MiB in it",
      () => samplesOf(ctx.id, Date.now() - 1500).find((g) => g.hostMemKiB > before.hostMemKiB + 12 * 1024),
      60_000,
    ).catch((err: Error) => {
      const last = samplesOf(ctx.id, 0)
        .slice(-3)
        .map((g) => [g.hostMemKiB, g.guestMemUsedKiB]);
      throw new Error(
        `${err.message}; before ${before.hostMemKiB} KiB, then ${JSON.stringify(last)}; the console showed: ${JSON.stringify(tap.output.slice(-600))}`,
      );
    });
    expect(grown.guestMemUsedKiB!).toBeGreaterThan(before.guestMemUsedKiB! + 12 * 1024);
    await tap.type("kill %1\r");
  });

  it("sees the guest's CPU rise while it works", async () => {
    const idleFrom = Date.now();
    await waitFor("three idle samples", () => samplesOf(ctx.id, idleFrom).length >= 3, 60_000);
    const idle = samplesOf(ctx.id, idleFrom).slice(0, 3);
    await tap.type("while :; do :; done\r");
    const busyFrom = Date.now() + 1500; // past the tick that straddles the loop's start
    await waitFor("three busy samples", () => samplesOf(ctx.id, busyFrom).length >= 3, 60_000);
    await tap.type("\x03");
    const busy = samplesOf(ctx.id, busyFrom).slice(0, 3);
    const mean = (xs: { cpuPct: number }[]) => xs.reduce((n, x) => n + x.cpuPct, 0) / xs.length;
    // A shell loop keeps a core as busy as the host lets it; an idle busybox container costs
    // next to nothing. Relative, so a loaded host cannot fail it.
    expect(mean(busy)).toBeGreaterThan(5);
    expect(mean(busy)).toBeGreaterThan(10 * mean(idle));
  });

  it("stores the samples and forgets the guest once it stops", async () => {
    const db = daemon.openDb();
    try {
      const raw = await db.guestSample.count({ where: { period: 0, guestId: ctx.id } });
      expect(raw).toBeGreaterThan(3);
    } finally {
      await db.$disconnect();
    }
    await daemon.api("POST", `/api/guests/${ctx.id}/force-off`);
    await daemon.waitForState(ctx.id, "stopped");
    const after = Date.now() + 1000;
    await waitFor("a sample after the stop", () => since(after).length > 0, 60_000);
    expect(since(after)[0].guests.map((g) => g.guestId)).toEqual([uml.id]);
    // LXC removed the container's cgroup: nothing of it is left to read.
    expect(fs.existsSync(`/sys/fs/cgroup/memory/lxc.payload.${ctx.id}`)).toBe(false);
  });
});
