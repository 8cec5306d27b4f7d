// MetricsStore's writes on a real database (SQLite, or PostgreSQL under
// CORRAL_TEST_DATABASE=postgres): rows written as one JSON parameter per table read back
// through Prisma exactly as written — times, nulls, fractions — and compaction, which
// selects them by time, rolls them up in the database to the figures rollupGuests defines.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../lib/server/database";
import { migrateDatabase } from "../migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "../test-support/test-database";
import { MetricsStore } from "./metrics-store";
import { HOUR, MINUTE, RAW, rollupGuests, type GuestRow, type HostRow } from "./rollup";

const root = path.resolve(__dirname, "../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-store-"));
const url = testDatabaseUrl(dataDir);
let db: Db;
let hostId = "";
const guestIds: string[] = [];

async function createHost(name: string): Promise<string> {
  const now = new Date();
  const host = await db.host.create({
    data: {
      name,
      address: "127.0.0.1",
      cores: 2,
      memoryMiB: 1,
      diskFreeMiB: 1,
      kernel: "k",
      version: "v",
      startedAt: now,
      lastSeenAt: now,
    },
  });
  return host.id;
}

beforeAll(async () => {
  await createTestDatabase(url, { empty: true });
  await migrateDatabase(root, dataDir, url);
  db = openDatabase(url);
  hostId = await createHost("h");
  const image = await db.image.create({ data: { name: "i", path: "/i", sizeBytes: 1n, sha256: "x" } });
  for (let i = 0; i < 3; i++)
    guestIds.push((await db.guest.create({ data: { name: `g${i}`, imageId: image.id, memoryMiB: 48, hostId } })).id);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await dropTestDatabase(url);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const guestRow = (guestId: string, at: Date, k: number, report: boolean): GuestRow => ({
  guestId,
  hostId,
  period: RAW,
  at,
  samples: 1,
  cpuPct: 0.25 * k,
  cpuPctMax: 0.25 * k,
  hostMemKiB: 12_345.5 + k,
  guestSamples: report ? 1 : 0,
  guestMemTotalKiB: report ? 40_000 : null,
  guestMemUsedKiB: report ? 3_000 + k : null,
  guestLoad1: report ? 0.07 : null,
});

const hostRow = (at: Date, k: number): HostRow => ({
  hostId,
  period: RAW,
  at,
  samples: 1,
  cpuCores: 2,
  cpuPct: 10 + k,
  cpuPctMax: 10 + k,
  memTotalKiB: 24_000_000,
  memAvailableKiB: 20_000_000.5,
  diskFreeMiB: 1000,
  ramBackingFreeMiB: 2000,
  load1: 1.5,
  guestsRunning: 3,
  guestAllocatedMiB: 144,
  guestCpuPct: 0.75,
  guestHostMemKiB: 37_000,
});

describe("MetricsStore", () => {
  it("writes a tick's rows that read back as written, and compaction rolls them up by time", async () => {
    const store = new MetricsStore(db, 7, hostId);
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 120_000; // a closed minute
    const ticks = [0, 1, 2].map((k) => new Date(minute + 5_000 * (k + 1) + 7)); // with milliseconds
    for (const [k, at] of ticks.entries())
      await store.record(
        guestIds.map((g, i) => guestRow(g, at, k + i, i !== 2)),
        hostRow(at, k),
      );
    await store.record([], hostRow(new Date(minute + 60_000 + 5_000), 9)); // a tick with no guests

    const omit = { id: true } as const;
    const guests = await db.guestSample.findMany({
      where: { period: RAW },
      omit,
      orderBy: [{ at: "asc" }, { guestId: "asc" }],
    });
    const want = ticks.flatMap((at, k) => guestIds.map((g, i) => guestRow(g, at, k + i, i !== 2)));
    want.sort((a, b) => a.at.getTime() - b.at.getTime() || a.guestId.localeCompare(b.guestId));
    expect(guests).toEqual(want);
    const hosts = await db.hostSample.findMany({ where: { period: RAW }, omit, orderBy: { at: "asc" } });
    expect(hosts).toEqual([...ticks.map((at, k) => hostRow(at, k)), hostRow(new Date(minute + 65_000), 9)]);
    // Compared as times by the database: the minute's three ticks fall in its bucket.
    expect(
      await db.guestSample.count({ where: { at: { gte: new Date(minute), lt: new Date(minute + 60_000) } } }),
    ).toBe(9);

    expect(await store.compact(Date.now())).toBeGreaterThanOrEqual(1);
    const rolled = await db.guestSample.findMany({
      where: { period: MINUTE, at: new Date(minute) },
      orderBy: { guestId: "asc" },
    });
    expect(rolled.map((r) => [r.guestId, r.samples, r.guestSamples])).toEqual(
      [...guestIds].sort().map((g) => [g, 3, g === guestIds[2] ? 0 : 3]),
    );
    const first = rolled.find((r) => r.guestId === guestIds[0])!;
    expect(first.cpuPct).toBeCloseTo(0.25); // mean of 0, 0.25, 0.5
    expect(first.guestMemUsedKiB).toBeCloseTo(3_001);
    expect(rolled.find((r) => r.guestId === guestIds[2])!.guestMemUsedKiB).toBeNull();
  });

  it("rolls a closed hour's minute rows up as rollupGuests does: weighted by samples, nulls and unanswered minutes left out", async () => {
    const other = await createHost("h2"); // its own watermarks: untouched by the test above
    const store = new MetricsStore(db, 7, other);
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    const rows: GuestRow[] = [];
    for (const [g, guestId] of guestIds.entries())
      for (let m = 0; m < 5; m++) {
        const samples = [12, 7, 12, 3, 12][m];
        const answered = g === 2 ? 0 : (m * 5 + g) % samples; // g2 never answered; others in part
        rows.push({
          guestId,
          hostId: other,
          period: MINUTE,
          at: new Date(hour + m * 60_000),
          samples,
          cpuPct: 0.013 * (m + 1) * (g + 2),
          cpuPctMax: 0.5 * ((m * 3 + g) % 4),
          hostMemKiB: 12_000.25 + 97 * m - 13 * g,
          guestSamples: answered,
          guestMemTotalKiB: answered ? 40_000 + m : null,
          guestMemUsedKiB: answered ? 3_000.5 + 11 * m * (g + 1) : null,
          guestLoad1: answered ? 0.01 * m : null,
        });
      }
    for (let m = 0; m < 5; m++) {
      const at = new Date(hour + m * 60_000);
      await store.record(
        rows.filter((r) => r.at.getTime() === at.getTime()),
        { ...hostRow(at, m), hostId: other, period: MINUTE, samples: 12 },
      );
    }
    await store.compact(Date.now());
    const rolled = await db.guestSample.findMany({
      where: { hostId: other, period: HOUR },
      omit: { id: true },
      orderBy: { guestId: "asc" },
    });
    const close = (r: GuestRow) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? expect.closeTo(v, 6) : v]));
    const want = rollupGuests(rows, HOUR, new Date(hour)).sort((a, b) => a.guestId.localeCompare(b.guestId));
    expect(want.find((r) => r.guestId === guestIds[2])!.guestMemUsedKiB).toBeNull();
    expect(rolled).toEqual(want.map(close));
    const [host] = await db.hostSample.findMany({ where: { hostId: other, period: HOUR } });
    expect(host.samples).toBe(60);
  });
});
