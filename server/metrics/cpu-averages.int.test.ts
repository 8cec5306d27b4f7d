// The consolidation page's 10-minute CPU averages (lib/server/reads/cpu-averages.ts) against a
// real, migrated database (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres): read
// from the minutes the daemon's own compaction rolled up plus the raw samples around them,
// they equal the mean of the raw samples in the window, for a guest that started mid-minute
// too, at the newest tick and at an older one; another host's samples stay out.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../lib/server/database";
import { readCpuAverages } from "../../lib/server/reads/cpu-averages";
import { CPU_WINDOW_MS } from "../../lib/shared/consolidation";
import { migrateDatabase } from "../migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "../test-support/test-database";
import { MetricsStore } from "./metrics-store";
import { MINUTE, RAW, type GuestRow } from "./rollup";

const root = path.resolve(__dirname, "../..");
const T0 = Date.UTC(2026, 10, 1, 11, 45);
const TICKS = Array.from({ length: 187 }, (_, i) => T0 + i * 5_000); // 11:45:00 … 12:00:30
const LATE = Date.UTC(2026, 10, 1, 11, 52, 20); // g-2 starts here, mid-minute
const cpuAt = (g: number, t: number) => ((g * 7 + t / 5_000) % 13) * 3;

describe("the consolidation page's CPU averages (real database)", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-cpu-avg-"));
  const url = testDatabaseUrl(dataDir);
  let db: Db;
  const hosts: string[] = [];
  const guests: string[] = [];
  const raw: GuestRow[] = [];

  beforeAll(async () => {
    await createTestDatabase(url);
    await migrateDatabase(root, dataDir, url);
    db = openDatabase(url);
    const image = await db.image.create({ data: { name: "img", path: "/images/img.img", sizeBytes: 1n, sha256: "x" } });
    for (const name of ["rack-1", "rack-2"]) {
      const h = await db.host.create({
        data: {
          ...{ name, address: "http://x", cores: 2, memoryMiB: 1, diskFreeMiB: 1, kernel: "k", version: "v" },
          ...{ startedAt: new Date(T0), lastSeenAt: new Date(T0), heartbeatSeconds: 3600 },
        },
      });
      hosts.push(h.id);
    }
    for (let g = 0; g < 3; g++) {
      const row = await db.guest.create({
        data: { name: `g-${g}`, imageId: image.id, memoryMiB: 64, hostId: hosts[0] },
      });
      guests.push(row.id);
    }
    const row = (g: number, t: number, hostId: string, cpuPct: number): GuestRow => ({
      ...{ guestId: guests[g], hostId, period: RAW, at: new Date(t), samples: 1, cpuPct, cpuPctMax: cpuPct },
      ...{ hostMemKiB: 1000, guestSamples: 0, guestMemTotalKiB: null, guestMemUsedKiB: null, guestLoad1: null },
    });
    for (const t of TICKS)
      for (let g = 0; g < 3; g++) if (g < 2 || t >= LATE) raw.push(row(g, t, hosts[0], cpuAt(g, t)));
    const elsewhere = TICKS.map((t) => row(0, t, hosts[1], 400)); // g-0 ran on rack-2 too
    await db.guestSample.createMany({ data: [...raw, ...elsewhere] });
    await db.hostSample.createMany({
      data: TICKS.map((t) => ({
        ...{ hostId: hosts[0], period: RAW, at: new Date(t), samples: 1, cpuCores: 2, cpuPct: 0, cpuPctMax: 0 },
        ...{ memTotalKiB: 1, memAvailableKiB: 1, diskFreeMiB: 1, ramBackingFreeMiB: 1, load1: 0, guestsRunning: 0 },
        ...{ guestAllocatedMiB: 0, guestCpuPct: 0, guestHostMemKiB: 0 },
      })),
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await dropTestDatabase(url);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Each guest's mean of its raw samples on rack-1 in (at − window, at]. */
  const rawMeans = (at: number) => {
    const inWindow = raw.filter((r) => r.at.getTime() > at - CPU_WINDOW_MS && r.at.getTime() <= at);
    return Object.fromEntries(
      guests.map((id) => {
        const mine = inWindow.filter((r) => r.guestId === id);
        return [id, mine.reduce((n, r) => n + r.cpuPct, 0) / mine.length];
      }),
    );
  };
  const read = (at: number) => readCpuAverages(db, { hostId: hosts[0], at: new Date(at).toISOString() });
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
    await new MetricsStore(db, 30, hosts[0]).compact(Date.UTC(2026, 10, 1, 11, 59, 10));
    const minutes = await db.guestSample.count({ where: { hostId: hosts[0], period: MINUTE } });
    expect(minutes).toBe(14 * 2 + 7); // 11:45…11:58 for g-0 and g-1; 11:52…11:58 for g-2
    expectClose(await read(NEWEST), rawMeans(NEWEST));
    // An older tick: minutes rolled up after its window are not counted.
    expectClose(await read(OLDER), rawMeans(OLDER));
    // Proof the minutes are read: a rolled-up minute changed in place changes the average.
    await db.guestSample.updateMany({
      where: { guestId: guests[1], period: MINUTE, at: new Date(Date.UTC(2026, 10, 1, 11, 55)) },
      data: { cpuPct: 1000 },
    });
    expect((await read(NEWEST))[guests[1]]).toBeGreaterThan(rawMeans(NEWEST)[guests[1]] + 50);
  });
});
