// The consolidation page's 10-minute CPU averages (lib/server/reads/cpu-averages.ts) against a
// real, migrated database (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres): read
// from the minutes the daemon's own compaction rolled up plus the raw samples around them,
// they equal the mean of the raw samples in the window, for a guest that started mid-minute
// too, at the newest tick and at an older one; another host's samples stay out. On SQLite, the
// per-guest sums are read through the covering (guestId, period, at, …) index without a sort.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/server/database";
import { readCpuAverages } from "../../lib/server/reads/cpu-averages";
import { BY_GUEST } from "../../lib/server/raw-statement";
import { CPU_WINDOW_MS } from "../../lib/shared/consolidation";
import { openSampleRig, rawGuestRow, rawHostRow, type SampleRig } from "../test-support/sample-rig";
import { MetricsStore } from "./metrics-store";
import { MINUTE, type GuestRow } from "./rollup";

const T0 = Date.UTC(2026, 10, 1, 11, 45);
const TICKS = Array.from({ length: 187 }, (_, i) => T0 + i * 5_000); // 11:45:00 … 12:00:30
const LATE = Date.UTC(2026, 10, 1, 11, 52, 20); // g-02 starts here, mid-minute
const cpuAt = (g: number, t: number) => ((g * 7 + t / 5_000) % 13) * 3;

describe("the consolidation page's CPU averages (real database)", () => {
  let rig: SampleRig;
  let db: Db;
  const raw: GuestRow[] = [];

  beforeAll(async () => {
    rig = await openSampleRig(["rack-1", "rack-2"], 3, new Date(T0));
    db = rig.db;
    const [rack1, rack2] = rig.hosts;
    for (const t of TICKS)
      for (let g = 0; g < 3; g++)
        if (g < 2 || t >= LATE) raw.push(rawGuestRow(rig.guests[g], rack1, new Date(t), cpuAt(g, t)));
    const elsewhere = TICKS.map((t) => rawGuestRow(rig.guests[0], rack2, new Date(t), 400)); // g-00 ran on rack-2 too
    await db.guestSample.createMany({ data: [...raw, ...elsewhere] });
    await db.hostSample.createMany({ data: TICKS.map((t) => rawHostRow(rack1, new Date(t))) });
  });
  afterAll(() => rig?.close());

  /** Each guest's mean of its raw samples on rack-1 in (at − window, at]. */
  const rawMeans = (at: number) => {
    const inWindow = raw.filter((r) => r.at.getTime() > at - CPU_WINDOW_MS && r.at.getTime() <= at);
    return Object.fromEntries(
      rig.guests.map((id) => {
        const mine = inWindow.filter((r) => r.guestId === id);
        return [id, mine.reduce((n, r) => n + r.cpuPct, 0) / mine.length];
      }),
    );
  };
  const read = (at: number) => readCpuAverages(db, { hostId: rig.hosts[0], at: new Date(at).toISOString() });
  const expectClose = (got: Record<string, number>, want: Record<string, number>) => {
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const id of Object.keys(want)) expect(got[id]).toBeCloseTo(want[id], 9);
  };
  const NEWEST = TICKS.at(-1)!;
  const OLDER = Date.UTC(2026, 10, 1, 11, 57, 35);

  it("averages the raw samples alone before anything is rolled up", async () => {
    expectClose(await read(NEWEST), rawMeans(NEWEST));
    expectClose(await read(OLDER), rawMeans(OLDER));
  });

  it("gives the same averages from the minutes compaction rolled up and the raw samples around them", async () => {
    // Compaction at 11:59:10: minutes up to 11:58 are rolled up, 11:59 and 12:00 are not.
    await new MetricsStore(db, 30, rig.hosts[0]).compact(Date.UTC(2026, 10, 1, 11, 59, 10));
    const minutes = await db.guestSample.count({ where: { hostId: rig.hosts[0], period: MINUTE } });
    expect(minutes).toBe(14 * 2 + 7); // 11:45…11:58 for g-00 and g-01; 11:52…11:58 for g-02
    expectClose(await read(NEWEST), rawMeans(NEWEST));
    // An older tick: minutes rolled up after its window are not counted.
    expectClose(await read(OLDER), rawMeans(OLDER));
    // Proof the minutes are read: a rolled-up minute changed in place changes the average.
    await db.guestSample.updateMany({
      where: { guestId: rig.guests[1], period: MINUTE, at: new Date(Date.UTC(2026, 10, 1, 11, 55)) },
      data: { cpuPct: 1000 },
    });
    expect((await read(NEWEST))[rig.guests[1]]).toBeGreaterThan(rawMeans(NEWEST)[rig.guests[1]] + 50);
  });

  // The plan is SQLite's (PostgreSQL chooses by its statistics, and seq-scans tables this small).
  it.runIf(process.env.CORRAL_TEST_DATABASE !== "postgres")(
    "sums a range guest by guest from the index alone, without sorting its rows (SQLite's plan)",
    async () => {
      const sql =
        `EXPLAIN QUERY PLAN SELECT g."id", SUM(s."cpuPct" * s."samples"), SUM(s."samples"), AVG(s."hostMemKiB") ` +
        `${BY_GUEST} AND s."hostId" = ? AND s."period" = ? AND s."at" >= ? AND s."at" <= ? GROUP BY g."id"`;
      const plan = await db.$queryRawUnsafe<Array<{ detail: string }>>(sql, rig.hosts[0], 0, "2026", "2027");
      const steps = plan.map((p) => p.detail).join("\n");
      expect(steps).toMatch(/SCAN g\b/);
      expect(steps).toContain("SEARCH s USING COVERING INDEX GuestSample_guestId_period_at_covering_idx");
      expect(steps).not.toContain("TEMP B-TREE");
    },
  );
});
