import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../lib/server/database";
import { ConsolidationForbidden, readFleetConsolidation } from "../../lib/server/reads/fleet-consolidation";
import { fleetTotals } from "../../lib/shared/fleet-consolidation";
import type { Actor } from "../../lib/shared/permissions";
import type { GuestView, MetricsSampleEvent } from "../../lib/shared/protocol";
import { waitFor, type TestSocket } from "../test-support/daemon-harness";
import { FleetRig } from "../test-support/fleet-rig";
import { MINUTE, RAW } from "./rollup";

// Two daemons sampling their own hosts every second into one PostgreSQL: a runs two guests,
// b one (and holds one stopped). Each host's samples name it, and every figure of the
// consolidation page's fleet read is that host's own. Real daemons, real busybox kernels.
describe("consolidation across the hosts of a fleet (real daemons, real kernels, PostgreSQL)", () => {
  const rig = new FleetRig();
  let db: Db;
  let socket: TestSocket;
  const events: MetricsSampleEvent[] = [];
  const ids = {} as Record<"a" | "b", string>;
  const guests = {} as Record<"a1" | "a2" | "b1" | "b2", GuestView>;
  const who = {} as Record<"admin" | "manager" | "developer", Actor>;

  beforeAll(async () => {
    await rig.start({ CORRAL_METRICS_INTERVAL_SECONDS: "1" });
    db = openDatabase(rig.url);
    for (const h of await rig.hosts()) ids[h.name === "fleet-a" ? "a" : "b"] = h.id;
    guests.a1 = await rig.createGuestOn(rig.a, "fm-a1");
    guests.a2 = await rig.createGuestOn(rig.a, "fm-a2", { memoryMiB: 96 });
    guests.b1 = await rig.createGuestOn(rig.b, "fm-b1", { memoryMiB: 80 });
    guests.b2 = await rig.createGuestOn(rig.b, "fm-b2");
    socket = await rig.a.socket();
    socket.on("metrics:sample", (e) => events.push(e));
    expect((await socket.emitWithAck("metrics:watch")).ok).toBe(true);
    await Promise.all([rig.a.startGuest(guests.a1.id), rig.a.startGuest(guests.a2.id), rig.b.startGuest(guests.b1.id)]);
    await rig.a.userSession("fm-manager", "manager");
    await rig.a.userSession("fm-dev", "developer");
    for (const u of await db.user.findMany({ select: { id: true, username: true, role: true } })) {
      const role = u.role as Actor["role"];
      if (u.username === "fm-manager") who.manager = { id: u.id, role };
      else if (u.username === "fm-dev") who.developer = { id: u.id, role };
      else if (role === "admin") who.admin = { id: u.id, role };
    }
    // Both hosts have sampled what they now run.
    await waitFor(
      "a tick of each host with its running guests",
      async () => {
        const [a, b] = await Promise.all(
          (["a", "b"] as const).map((h) =>
            db.hostSample.findFirst({ where: { hostId: ids[h], period: RAW }, orderBy: { at: "desc" } }),
          ),
        );
        return a?.guestsRunning === 2 && b?.guestsRunning === 1;
      },
      60_000,
    );
  });

  afterAll(async () => {
    socket?.disconnect();
    await db?.$disconnect();
    await rig.cleanup();
    expect(rig.leftovers()).toEqual([]);
  });

  it("stores each host's samples under its own id, and each guest's under its host's", async () => {
    const hostRows = await db.hostSample.groupBy({ by: ["hostId"], where: { period: RAW }, _count: true });
    expect(hostRows.map((r) => r.hostId).sort()).toEqual([ids.a, ids.b].sort());
    const guestRows = await db.guestSample.groupBy({ by: ["guestId", "hostId"], where: { period: RAW }, _count: true });
    const hostOf = Object.fromEntries(guestRows.map((r) => [r.guestId, r.hostId]));
    expect(hostOf).toEqual({ [guests.a1.id]: ids.a, [guests.a2.id]: ids.a, [guests.b1.id]: ids.b });
    // Each guest sampled by one host only: a daemon never reads another host's pids.
    expect(guestRows).toHaveLength(3);
  });

  it("figures each host of one tick from its own guests: the same tick time, two hosts' rows", async () => {
    const tick = await db.hostSample.findFirst({
      where: {
        hostId: ids.a,
        period: RAW,
        at: {
          in: (await db.hostSample.findMany({ where: { hostId: ids.b, period: RAW }, select: { at: true } })).map(
            (r) => r.at,
          ),
        },
      },
      orderBy: { at: "desc" },
    });
    // Ticks are aligned to the interval on every host: the fault this fixes mixed them.
    expect(tick).not.toBeNull();
    const [a, b] = await Promise.all(
      [ids.a, ids.b].map((hostId) => db.hostSample.findFirst({ where: { hostId, period: RAW, at: tick!.at } })),
    );
    expect([a?.guestsRunning, a?.guestAllocatedMiB]).toEqual([2, 64 + 96]);
    expect([b?.guestsRunning, b?.guestAllocatedMiB]).toEqual([1, 80]);
    const ofA = await db.guestSample.findMany({ where: { hostId: ids.a, period: RAW, at: tick!.at } });
    expect(ofA.map((g) => g.guestId).sort()).toEqual([guests.a1.id, guests.a2.id].sort());
    expect(a!.guestHostMemKiB).toBeCloseTo(
      ofA.reduce((n, g) => n + g.hostMemKiB, 0),
      3,
    );
  });

  it("pushes each tick with the id of the host it sampled", async () => {
    await waitFor("a live tick from a", () => events.length > 0, 30_000);
    expect(new Set(events.map((e) => e.host.hostId))).toEqual(new Set([ids.a]));
    expect(events.at(-1)!.guests.every((g) => [guests.a1.id, guests.a2.id].includes(g.guestId))).toBe(true);
  });

  it("gives the page a row per host with that host's own figures, and totals that add up", async () => {
    const rows = await readFleetConsolidation(db, who.manager);
    expect(rows.map((r) => [r.name, r.state, r.guestsRunning, r.guestsTotal, r.allocatedMiB])).toEqual([
      ["fleet-a", "reachable", 2, 2, 64 + 96],
      ["fleet-b", "reachable", 1, 2, 80],
    ]);
    for (const r of rows) {
      expect(r.usedMiB).toBeGreaterThan(0);
      expect(r.capacityMiB).toBeGreaterThan(0);
      expect(r.headroom).toBeGreaterThan(0);
      expect(r.sampledAt).not.toBeNull();
    }
    // b's guests use what one guest uses; a's what two do: never the same sum (the mixed series).
    expect(rows[0].usedMiB).not.toBe(rows[1].usedMiB);
    const t = fleetTotals(rows);
    expect([t.hosts, t.guestsRunning, t.guestsTotal, t.allocatedMiB]).toEqual([2, 3, 4, 240]);
    expect(t.usedMiB).toBeCloseTo(rows[0].usedMiB! + rows[1].usedMiB!, 6);
    expect(t.capacityMiB).toBeCloseTo(rows[0].capacityMiB + rows[1].capacityMiB, 6);
    expect(t.headroom).toBe(rows[0].headroom! + rows[1].headroom!);
  });

  it("shows a host in maintenance as such, and counts no headroom on it", async () => {
    expect((await rig.a.api("PATCH", `/api/hosts/${ids.b}`, { maintenance: true })).status).toBe(200);
    try {
      const rows = await readFleetConsolidation(db, who.admin);
      expect(rows.map((r) => r.state)).toEqual(["reachable", "maintenance"]);
      expect(fleetTotals(rows).headroom).toBe(rows[0].headroom);
    } finally {
      await rig.a.api("PATCH", `/api/hosts/${ids.b}`, { maintenance: false });
    }
  });

  it("lets admins and managers read the fleet's figures, and refuses a developer", async () => {
    expect(await readFleetConsolidation(db, who.admin)).toHaveLength(2);
    expect(await readFleetConsolidation(db, who.manager)).toHaveLength(2);
    await expect(readFleetConsolidation(db, who.developer)).rejects.toBeInstanceOf(ConsolidationForbidden);
  });

  it("rolls each closed minute up per host: one row per host, of its own samples", async () => {
    // Compaction runs in each daemon's first tick of a minute: wait for a minute in which all
    // three guests ran to be rolled up on both hosts.
    const at = await waitFor(
      "a minute rollup of each host with its guests",
      async () => {
        const g = await db.guestSample.groupBy({ by: ["at"], where: { period: MINUTE }, _count: true });
        const full = g.filter((x) => x._count === 3).map((x) => x.at);
        const h = await db.hostSample.groupBy({
          by: ["at"],
          where: { period: MINUTE, at: { in: full } },
          _count: true,
        });
        return h.find((x) => x._count === 2)?.at;
      },
      150_000,
    );
    const ofMinute = await db.hostSample.findMany({ where: { period: MINUTE, at } });
    expect(ofMinute.map((r) => r.hostId).sort()).toEqual([ids.a, ids.b].sort());
    const raw = async (hostId: string) =>
      db.hostSample.count({ where: { hostId, period: RAW, at: { gte: at, lt: new Date(+at + 60_000) } } });
    for (const r of ofMinute) {
      // A rollup's samples are its own host's raw rows of that minute (kept an hour), not both
      // hosts'; its guests at most its own (the minute may hold their boots).
      expect(r.samples).toBe(await raw(r.hostId!));
      expect(r.guestsRunning).toBeLessThanOrEqual(r.hostId === ids.a ? 2 : 1);
    }
    const hostOf: Record<string, string> = { [guests.a1.id]: ids.a, [guests.a2.id]: ids.a, [guests.b1.id]: ids.b };
    const guestMinutes = await db.guestSample.findMany({ where: { period: MINUTE, at } });
    expect(guestMinutes).toHaveLength(3);
    for (const g of guestMinutes) expect(g.hostId).toBe(hostOf[g.guestId]);
  });
});
