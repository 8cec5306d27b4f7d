// A migrated database of a test's own (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres)
// with an image, hosts and guests, for tests of the metric reads: they write raw samples
// with rawGuestRow and rawHostRow and read them back through lib/server/reads.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Db } from "../../lib/server/database";
import { RAW, type GuestRow, type HostRow } from "../metrics/rollup";
import { migrateDatabase } from "../migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "./test-database";

const root = path.resolve(__dirname, "../..");

export interface SampleRig {
  db: Db;
  /** Host ids, in the order of the names given. */
  hosts: string[];
  /** Guest ids (named g-00, g-01, …), all on the first host. */
  guests: string[];
  close(): Promise<void>;
}

export async function openSampleRig(hostNames: string[], guestCount: number, at: Date): Promise<SampleRig> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-samples-"));
  const url = testDatabaseUrl(dataDir);
  await createTestDatabase(url);
  await migrateDatabase(root, dataDir, url);
  const db = openDatabase(url);
  const image = await db.image.create({ data: { name: "img", path: "/images/img.img", sizeBytes: 1n, sha256: "x" } });
  const hosts: string[] = [];
  for (const name of hostNames) {
    const h = await db.host.create({
      data: {
        ...{ name, address: "http://x", cores: 2, memoryMiB: 1, diskFreeMiB: 1, kernel: "k", version: "v" },
        ...{ startedAt: at, lastSeenAt: at, heartbeatSeconds: 3600 },
      },
    });
    hosts.push(h.id);
  }
  const guests: string[] = [];
  for (let i = 0; i < guestCount; i++) {
    const name = `g-${String(i).padStart(2, "0")}`;
    guests.push((await db.guest.create({ data: { name, imageId: image.id, memoryMiB: 64, hostId: hosts[0] } })).id);
  }
  const close = async () => {
    await db.$disconnect();
    await dropTestDatabase(url);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { db, hosts, guests, close };
}

/** One raw sample of a guest on a host: its CPU and host memory, nothing reported from inside. */
export function rawGuestRow(guestId: string, hostId: string, at: Date, cpuPct: number, hostMemKiB = 1000): GuestRow {
  return {
    ...{ guestId, hostId, period: RAW, at, samples: 1, cpuPct, cpuPctMax: cpuPct, hostMemKiB },
    ...{ guestSamples: 0, guestMemTotalKiB: null, guestMemUsedKiB: null, guestLoad1: null },
  };
}

/** One raw sample of a host; `guestCpuPct` is what its guests used in all. */
export function rawHostRow(hostId: string, at: Date, guestCpuPct = 0): HostRow {
  return {
    ...{ hostId, period: RAW, at, samples: 1, cpuCores: 2, cpuPct: 0, cpuPctMax: 0 },
    ...{ memTotalKiB: 1, memAvailableKiB: 1, diskFreeMiB: 1, ramBackingFreeMiB: 1, load1: 0, guestsRunning: 0 },
    ...{ guestAllocatedMiB: 0, guestCpuPct, guestHostMemKiB: 0 },
  };
}
