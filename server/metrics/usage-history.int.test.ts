// The consolidation page's stacked usage (lib/server/reads/usage-history.ts) against a real,
// migrated database (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres): the hour is
// drawn and ranked from the minutes compaction rolled up plus the raw tail not rolled up yet,
// with the same layers and figures as from the raw samples alone; the day from the hours, then
// the minutes after them; another host's rows stay out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/server/database";
import { readUsageHistory } from "../../lib/server/reads/usage-history";
import { OTHER_KEY } from "../../lib/shared/stacked-series";
import { openSampleRig, rawGuestRow, rawHostRow, type SampleRig } from "../test-support/sample-rig";
import { MetricsStore } from "./metrics-store";
import { MINUTE, type GuestRow } from "./rollup";

const NOW = new Date(Date.UTC(2026, 10, 1, 12, 0, 30));
const TICKS = Array.from({ length: 120 }, (_, i) => new Date(NOW.getTime() - 119 * 5_000 + i * 5_000));
// g-00…g-10 run the whole ten minutes at i × 5 % CPU; g-11 started in the minute not rolled
// up yet (12:00:10), at 90 %. g-10 also has rows on another host (it ran there too).
const cpuOf = (i: number) => (i === 11 ? 90 : i * 5);
const LATE = new Date(Date.UTC(2026, 10, 1, 12, 0, 10));

describe("the consolidation page's usage history (real database)", () => {
  let rig: SampleRig;
  let db: Db;
  let hosts: string[];
  let guests: string[];

  beforeAll(async () => {
    rig = await openSampleRig(["rack-1", "rack-2"], 12, NOW);
    ({ db, hosts, guests } = rig);
    const row = (i: number, at: Date, hostId: string, cpuPct: number) =>
      rawGuestRow(guests[i], hostId, at, cpuPct, 1000 * (i + 1));
    const raw: GuestRow[] = [];
    for (const at of TICKS)
      for (let i = 0; i < 12; i++) if (i < 11 || at >= LATE) raw.push(row(i, at, hosts[0], cpuOf(i)));
    const elsewhere = TICKS.map((at) => row(10, at, hosts[1], 400));
    await db.guestSample.createMany({ data: [...raw, ...elsewhere] });
    await db.hostSample.createMany({
      data: TICKS.map((at) =>
        rawHostRow(
          hosts[0],
          at,
          raw.filter((r) => r.at === at).reduce((n, r) => n + r.cpuPct, 0),
        ),
      ),
    });
  });
  afterAll(() => rig?.close());

  /** The guests with a CPU layer of their own, by name, and each tick's "other guests" share. */
  const cpuChart = async () => {
    const { cpu } = await readUsageHistory(db, "hour", hosts[0], NOW);
    const names = cpu.layers.map((l) => l.label);
    return { names, cpu };
  };
  // The eight busiest by their own samples; the four idlest share "4 other guests".
  const expected = ["g-11", "g-10", "g-09", "g-08", "g-07", "g-06", "g-05", "g-04", "4 other guests"];

  it("ranks from the raw samples alone on a host that has not rolled up yet", async () => {
    const { names, cpu } = await cpuChart();
    expect(names).toEqual(expected);
    // Each layer is that guest's own figure on this host; "other" is the rest of the total.
    const last = cpu.points.at(-1)!;
    expect(cpu.points).toHaveLength(TICKS.length);
    expect(last.s1).toBe(cpuOf(10));
    expect(last[OTHER_KEY]).toBe(cpuOf(0) + cpuOf(1) + cpuOf(2) + cpuOf(3));
  });

  it("draws the minutes compaction rolled up, then the raw tail, ranked and valued as the raw samples alone", async () => {
    const before = await readUsageHistory(db, "hour", hosts[0], NOW);
    // The daemon's own compaction at NOW: every closed minute rolled up (12:00 is still open).
    await new MetricsStore(db, 30, hosts[0]).compact(NOW.getTime());
    expect(await db.guestSample.count({ where: { guestId: guests[11], period: MINUTE } })).toBe(0); // only in the tail
    const { names, cpu } = await cpuChart();
    expect(names).toEqual(expected);
    const minutes = Array.from({ length: 10 }, (_, i) => Date.UTC(2026, 10, 1, 11, 50 + i));
    const tail = TICKS.map((t) => t.getTime()).filter((t) => t >= Date.UTC(2026, 10, 1, 12));
    expect(cpu.points.map((p) => p.t)).toEqual([...minutes, ...tail]);
    // A minute is its guests' mean over it; another host's rows (g-10's at 400 %) stay out.
    for (const p of cpu.points) {
      expect(p.s1).toBe(cpuOf(10));
      expect(p[OTHER_KEY]).toBe(cpuOf(0) + cpuOf(1) + cpuOf(2) + cpuOf(3));
    }
    expect(cpu.points.at(-1)).toEqual(before.cpu.points.at(-1));
    expect((await readUsageHistory(db, "hour", hosts[0], NOW)).mem.layers).toEqual(before.mem.layers);
  });

  it("draws the day's hours compaction rolled up, then the minutes after the newest", async () => {
    // Compacted at NOW above: the hour 11:00 is closed and rolled up from its minutes. A minute
    // later the minute 12:00 is too (g-11 ran 5 of its 7 ticks).
    const later = NOW.getTime() + 60_000;
    await new MetricsStore(db, 30, hosts[0]).compact(later);
    const { cpu } = await readUsageHistory(db, "day", hosts[0], new Date(later));
    expect(cpu.layers.map((l) => l.label)).toEqual(expected);
    expect(cpu.points.map((p) => p.t)).toEqual([Date.UTC(2026, 10, 1, 11), Date.UTC(2026, 10, 1, 12)]);
    const [hour, minute] = cpu.points;
    expect(hour.s0 ?? 0).toBe(0);
    expect(minute.s0).toBeCloseTo((cpuOf(11) * 5) / 7, 9);
    for (const p of cpu.points) {
      expect(p.s1).toBe(cpuOf(10));
      expect(p[OTHER_KEY]).toBe(cpuOf(0) + cpuOf(1) + cpuOf(2) + cpuOf(3));
    }
  });
});
