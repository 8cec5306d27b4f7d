// The consolidation page's stacked usage (lib/server/reads/usage-history.ts) against a real,
// migrated database (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres): the hour is
// drawn and ranked from the minutes compaction rolled up plus the raw tail not rolled up yet,
// with the same layers and figures as from the raw samples alone; another host's rows stay out.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../lib/server/database";
import { readUsageHistory } from "../../lib/server/reads/usage-history";
import { OTHER_KEY } from "../../lib/shared/stacked-series";
import { migrateDatabase } from "../migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "../test-support/test-database";
import { MetricsStore } from "./metrics-store";
import { MINUTE, RAW, type GuestRow } from "./rollup";

const root = path.resolve(__dirname, "../..");
const NOW = new Date(Date.UTC(2026, 10, 1, 12, 0, 30));
const TICKS = Array.from({ length: 120 }, (_, i) => new Date(NOW.getTime() - 119 * 5_000 + i * 5_000));
// g-00…g-10 run the whole ten minutes at i × 5 % CPU; g-11 started in the minute not rolled
// up yet (12:00:10), at 90 %. g-10 also has rows on another host (it ran there too).
const cpuOf = (i: number) => (i === 11 ? 90 : i * 5);
const LATE = new Date(Date.UTC(2026, 10, 1, 12, 0, 10));

describe("the consolidation page's usage history (real database)", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-usage-"));
  const url = testDatabaseUrl(dataDir);
  let db: Db;
  const hosts: string[] = [];
  const guests: string[] = [];

  beforeAll(async () => {
    await createTestDatabase(url);
    await migrateDatabase(root, dataDir, url);
    db = openDatabase(url);
    const image = await db.image.create({ data: { name: "img", path: "/images/img.img", sizeBytes: 1n, sha256: "x" } });
    for (const name of ["rack-1", "rack-2"]) {
      const h = await db.host.create({
        data: {
          ...{ name, address: "http://x", cores: 2, memoryMiB: 1, diskFreeMiB: 1, kernel: "k", version: "v" },
          ...{ startedAt: NOW, lastSeenAt: NOW, heartbeatSeconds: 3600 },
        },
      });
      hosts.push(h.id);
    }
    for (let i = 0; i < 12; i++) {
      const g = await db.guest.create({
        data: { name: `g-${String(i).padStart(2, "0")}`, imageId: image.id, memoryMiB: 64, hostId: hosts[0] },
      });
      guests.push(g.id);
    }
    const raw: GuestRow[] = [];
    const row = (i: number, at: Date, hostId: string, cpuPct: number): GuestRow => ({
      ...{ guestId: guests[i], hostId, period: RAW, at, samples: 1, cpuPct, cpuPctMax: cpuPct },
      ...{
        hostMemKiB: 1000 * (i + 1),
        guestSamples: 0,
        guestMemTotalKiB: null,
        guestMemUsedKiB: null,
        guestLoad1: null,
      },
    });
    for (const at of TICKS)
      for (let i = 0; i < 12; i++) if (i < 11 || at >= LATE) raw.push(row(i, at, hosts[0], cpuOf(i)));
    const elsewhere = TICKS.map((at) => row(10, at, hosts[1], 400));
    await db.guestSample.createMany({ data: [...raw, ...elsewhere] });
    await db.hostSample.createMany({
      data: TICKS.map((at) => ({
        ...{ hostId: hosts[0], period: RAW, at, samples: 1, cpuCores: 2, cpuPct: 0, cpuPctMax: 0 },
        ...{ memTotalKiB: 1, memAvailableKiB: 1, diskFreeMiB: 1, ramBackingFreeMiB: 1, load1: 0, guestsRunning: 0 },
        guestAllocatedMiB: 0,
        guestCpuPct: raw.filter((r) => r.at === at).reduce((n, r) => n + r.cpuPct, 0),
        guestHostMemKiB: 0,
      })),
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await dropTestDatabase(url);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

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
});
