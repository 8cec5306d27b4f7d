// How big metrics history gets at its bound: a fresh database filled with the most rows
// the retention rules allow for N guests (default 100), written through MetricsStore as
// the daemon writes them, then measured on disk.
// Usage: npm run bench:metrics-size [-- guests intervalSeconds retentionDays]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../server/db";
import { migrateDatabase } from "../server/migrate";
import { MetricsStore } from "../server/metrics/metrics-store";
import { HOUR, MINUTE, RAW, rowsBound, type GuestRow, type HostRow } from "../server/metrics/rollup";

const guestCount = Number(process.argv[2] ?? 100);
const intervalS = Number(process.argv[3] ?? 5);
const retentionDays = Number(process.argv[4] ?? 31);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-size-"));
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
  try {
    await migrateDatabase(root, dir);
    const db = openDatabase({ CORRAL_DATA_DIR: dir });
    await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
    const image = await db.image.create({ data: { name: "x", path: "/x", sizeBytes: 1n, sha256: "x" } });
    const ids: string[] = [];
    for (let i = 0; i < guestCount; i++) {
      ids.push((await db.guest.create({ data: { name: `g${i}`, imageId: image.id, memoryMiB: 64 } })).id);
    }
    const store = new MetricsStore(db, retentionDays, "bench-host");
    const bound = rowsBound(intervalS, retentionDays);
    const now = Date.now();
    const fill = async (period: number, count: number, stepS: number) => {
      for (let k = 0; k < count; k++) {
        const at = new Date(now - k * stepS * 1000);
        const guests: GuestRow[] = ids.map((guestId, i) => ({
          guestId,
          hostId: "bench-host",
          period,
          at,
          samples: period === RAW ? 1 : period / intervalS,
          cpuPct: (i * 7 + k) % 100,
          cpuPctMax: (i * 7 + k) % 100,
          hostMemKiB: 20_000 + k,
          guestSamples: 1,
          guestMemTotalKiB: 51_776,
          guestMemUsedKiB: 12_000 + i,
          guestLoad1: 0.1,
        }));
        const host: HostRow = {
          hostId: "bench-host",
          period,
          at,
          samples: 1,
          cpuCores: 2,
          cpuPct: 50,
          cpuPctMax: 60,
          memTotalKiB: 24e6,
          memAvailableKiB: 20e6,
          diskFreeMiB: 80e3,
          ramBackingFreeMiB: 24e3,
          load1: 1,
          guestsRunning: guestCount,
          guestAllocatedMiB: guestCount * 64,
          guestCpuPct: 100,
          guestHostMemKiB: guestCount * 20_000,
        };
        await store.record(guests, host);
      }
    };
    await fill(RAW, bound.raw, intervalS);
    await fill(MINUTE, bound.minute, 60);
    await fill(HOUR, bound.hour, 3600);
    const rows = await db.guestSample.count();
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    await db.$executeRawUnsafe("VACUUM");
    await db.$disconnect();
    const bytes = fs.statSync(path.join(dir, "corral.db")).size;
    console.log(
      `${guestCount} guests, a sample every ${intervalS} s, hourly rollups kept ${retentionDays} days: ` +
        `at most ${bound.total} rows per guest (raw ${bound.raw}, minute ${bound.minute}, hour ${bound.hour})`,
    );
    console.log(
      `  ${rows} guest rows: database ${(bytes / 1024 / 1024).toFixed(1)} MiB (${Math.round(bytes / rows)} bytes a row)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
