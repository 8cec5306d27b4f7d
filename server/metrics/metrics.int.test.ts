import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { averageCpu, consolidationReport, rankByIdleness } from "../../lib/shared/consolidation";
import type { GuestView, MetricsSampleEvent } from "../../lib/shared/protocol";
import { TestDaemon, waitFor, type ConsoleTap, type TestSocket } from "../test-support/daemon-harness";
import { MconsoleSession } from "../uml/mconsole-session";
import { guestPaths } from "../uml/paths";
import { readGuestReport } from "./guest-report";

// Metrics against real kernels: a guest spinning in a shell loop and a guest doing nothing,
// sampled once a second by a real daemon.
describe("metrics (real UML)", () => {
  const daemon = new TestDaemon({ CORRAL_METRICS_INTERVAL_SECONDS: "1" });
  const events: MetricsSampleEvent[] = [];
  let socket: TestSocket;
  let burner: GuestView;
  let idler: GuestView;
  let burnerTap: ConsoleTap;
  let idlerTap: ConsoleTap;

  beforeAll(async () => {
    await daemon.start();
    socket = await daemon.socket();
    socket.on("metrics:sample", (e) => events.push(e));
    expect((await socket.emitWithAck("metrics:watch")).ok).toBe(true);
    burner = await daemon.createGuest("burner");
    idler = await daemon.createGuest("idler");
    burnerTap = await daemon.attachConsole(socket, burner.id);
    idlerTap = await daemon.attachConsole(socket, idler.id);
    await Promise.all([daemon.startGuest(burner.id), daemon.startGuest(idler.id)]);
  });
  afterAll(() => daemon.cleanup());

  const since = (ms: number) => events.filter((e) => Date.parse(e.at) >= ms);

  it("ranks a guest burning CPU behind one sitting idle", async () => {
    await burnerTap.type("while :; do :; done\r");
    const from = Date.now() + 2000; // let the loop get going and the first rates settle
    await waitFor("six samples of both guests", () => since(from).length >= 6, 30_000);
    const window = since(from);
    const cpuOf = (id: string) => {
      const xs = window.flatMap((e) => e.guests.filter((g) => g.guestId === id).map((g) => g.cpuPct));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const busy = cpuOf(burner.id);
    const idle = cpuOf(idler.id);
    // A shell loop keeps a core as busy as the host lets it (less on a loaded machine); an idle
    // busybox guest costs a fraction of a percent. Relative, so a slow host cannot fail it.
    expect(busy).toBeGreaterThan(5);
    expect(busy).toBeGreaterThan(10 * idle);

    const last = window[window.length - 1];
    const guests = [burner, idler].map((g) => ({ ...g, state: "running" as const }));
    const report = consolidationReport(guests, last.guests, averageCpu(window.flatMap((e) => e.guests)), last.host);
    expect(rankByIdleness(report.rows).map((r) => r.name)).toEqual(["idler", "burner"]);
    expect(last.host.guestsRunning).toBe(2);
    expect(last.host.guestAllocatedMiB).toBe(128);
    expect(last.host.guestCpuPct).toBeCloseTo(
      last.guests.reduce((n, g) => n + g.cpuPct, 0),
      6,
    );
    expect(last.host.cpuPct).toBeGreaterThanOrEqual(last.host.guestCpuPct * 0.9);
    expect(last.host.cpuCores).toBeGreaterThan(0);
    // Each tick names the one before it, so a watcher can tell when it missed one.
    for (let i = 1; i < events.length; i++) expect(events[i].previousAt).toBe(events[i - 1].at);
  });

  it("reports guest memory the way the guest's own free does", async () => {
    // 8 MiB in the guest's tmpfs: page cache to the guest, memory the host must hold.
    await idlerTap.type("dd if=/dev/zero of=/tmp/fill bs=1M count=8\r");
    await idlerTap.expect(/8\+0 records out/);
    const asked = Date.now();
    await idlerTap.type("free\r");
    const m = await idlerTap.expect(/Mem:\s+(\d+)\s+(\d+)\s+(\d+)/);
    const [total, used] = [Number(m[1]), Number(m[2])];
    await waitFor("a sample after free ran", () => since(asked + 1000).length > 0, 60_000);
    const sample = since(asked)[0].guests.find((g) => g.guestId === idler.id)!;
    expect(sample.guestMemTotalKiB).toBe(total);
    // The shell, free and the tmpfs file sit still between the two readings: allow 1 MiB.
    expect(Math.abs(sample.guestMemUsedKiB! - used)).toBeLessThan(1024);
    expect(sample.hostMemKiB).toBeGreaterThan(sample.guestMemUsedKiB! + 8 * 1024);
    expect(sample.hostMemKiB).toBeLessThan(64 * 1024 + 40 * 1024);
    expect(sample.guestLoad1).not.toBeNull();
  });

  it("reads a guest's meminfo and loadavg in one exchange, again and again, whole", async () => {
    // Both requests go at once: the kernel's replies (8 datagrams) must all arrive, in
    // whichever order, exchange after exchange on one client socket.
    const socketPath = guestPaths(daemon.dataDir, daemon.runDir, idler.id).mconsoleSocket;
    const session = new MconsoleSession(daemon.runDir);
    try {
      for (let i = 0; i < 20; i++) {
        const replies = await session.exchange(socketPath, ["proc meminfo", "proc loadavg"], 5000);
        expect(replies.map((r) => r.ok)).toEqual([true, true]);
        const texts = replies.map((r) => r.text.trim()).sort((a, b) => a.length - b.length);
        expect(texts[0]).toMatch(/^\d+\.\d+ \d+\.\d+ \d+\.\d+ \d+\/\d+ \d+$/);
        expect(texts[1]).toMatch(/^MemTotal:\s+\d+ kB$/m);
        expect(texts[1]).toMatch(/^SReclaimable:\s+\d+ kB$/m);
      }
      const report = await readGuestReport(session, socketPath, 5000);
      expect(report?.memTotalKiB).toBeGreaterThan(32 * 1024);
      expect(report?.memUsedKiB).toBeGreaterThan(0);
      expect(report?.load1).toBeGreaterThanOrEqual(0);
      // A missing file is the guest's error, beside the other reply.
      const mixed = await session.exchange(socketPath, ["proc loadavg", "proc no-such-file"], 5000);
      expect(mixed.map((r) => r.ok).sort()).toEqual([false, true]);
    } finally {
      session.close();
    }
  });

  it("stores every tick in the database, and forgets a guest that stops", async () => {
    const db = daemon.openDb();
    try {
      const raw = await db.guestSample.groupBy({ by: ["guestId"], where: { period: 0 }, _count: true });
      expect(Object.fromEntries(raw.map((r) => [r.guestId, r._count > 3]))).toEqual({
        [burner.id]: true,
        [idler.id]: true,
      });
      const last = events[events.length - 1];
      const stored = await db.hostSample.findFirst({ where: { period: 0, at: new Date(last.at) } });
      expect(stored?.guestCpuPct).toBeCloseTo(last.host.guestCpuPct, 6);

      await daemon.api("POST", `/api/guests/${burner.id}/force-off`);
      await daemon.waitForState(burner.id, "stopped");
      const after = Date.now() + 1000;
      await waitFor("a sample after the stop", () => since(after).length > 0, 60_000);
      expect(since(after)[0].guests.map((g) => g.guestId)).toEqual([idler.id]);
    } finally {
      await db.$disconnect();
    }
  });

  it("keeps measuring a guest that rebooted inside its kernel process", async () => {
    const before = await daemon.guest(idler.id);
    await idlerTap.type("reboot\r");
    await waitFor(
      "the idle guest's next boot to run",
      async () => {
        const g = await daemon.guest(idler.id);
        return g.state === "running" && g.lastBoot!.number > before.lastBoot!.number;
      },
      60_000,
    );
    const after = Date.now() + 1000;
    const sample = await waitFor("a full sample after the reboot", () =>
      since(after)
        .flatMap((e) => e.guests)
        .find((g) => g.guestId === idler.id && g.guestMemUsedKiB !== null),
    );
    // UML re-executed itself: a new RAM backing file, found again.
    expect(sample.hostMemKiB).toBeGreaterThan(4 * 1024);
    expect(sample.hostMemKiB).toBeLessThan(64 * 1024 + 40 * 1024);
  });
});
