// Migration 20261201120000_sample_host on a database that has samples from before it (SQLite,
// or PostgreSQL under CORRAL_TEST_DATABASE=postgres): the rows stay, with their figures; they
// are the one registered host's, or no one's until a daemon claims them at start.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../lib/server/database";
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from "../../lib/server/postgres-schema";
import { migrateDatabase } from "../migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "../test-support/test-database";
import { claimUnhostedSamples } from "./metrics-store";

const root = path.resolve(__dirname, "../..");
const MIGRATION = "20261201120000_sample_host";
const AT = new Date("2026-11-30T12:00:00.000Z");

/**
 * A project root whose migrations stop before `MIGRATION` (and any later): the rest links to
 * the real one, so `migrate deploy` runs there as it does in the project.
 */
function rootBefore(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ["node_modules", "lib", "package.json", "tsconfig.json", "generated"]) {
    fs.symlinkSync(path.join(root, name), path.join(dir, name));
  }
  // A copy: Prisma finds the migrations beside the config's real path.
  fs.copyFileSync(path.join(root, "prisma.config.ts"), path.join(dir, "prisma.config.ts"));
  for (const [migrations, schema] of [
    [SQLITE_MIGRATIONS, "prisma/schema.prisma"],
    [POSTGRES_MIGRATIONS, "prisma/postgres/schema.prisma"],
  ]) {
    fs.mkdirSync(path.join(dir, migrations), { recursive: true });
    fs.copyFileSync(path.join(root, schema), path.join(dir, schema));
    for (const m of fs.readdirSync(path.join(root, migrations))) {
      if (m >= MIGRATION && !m.endsWith(".toml")) continue;
      fs.cpSync(path.join(root, migrations, m), path.join(dir, migrations, m), { recursive: true }); // Prisma skips links
    }
  }
  return dir;
}

async function oldSamples(db: Db, guestId: string): Promise<void> {
  // createMany: it inserts the columns given and returns none (the client knows hostId; the table does not yet).
  await db.hostSample.createMany({
    data: [0, 1].map((i) => ({
      period: 0,
      at: new Date(+AT + i * 5000),
      samples: 1,
      cpuCores: 2,
      cpuPct: 40 + i,
      cpuPctMax: 40 + i,
      memTotalKiB: 4e6,
      memAvailableKiB: 3e6,
      diskFreeMiB: 1000,
      ramBackingFreeMiB: 900,
      load1: 0.5,
      guestsRunning: 1,
      guestAllocatedMiB: 64,
      guestCpuPct: 3,
      guestHostMemKiB: 20_000 + i,
    })),
  });
  await db.guestSample.createMany({
    data: [0, 1].map((i) => ({
      guestId,
      period: 0,
      at: new Date(+AT + i * 5000),
      samples: 1,
      cpuPct: 3,
      cpuPctMax: 3,
      hostMemKiB: 20_000 + i,
      guestSamples: 1,
      guestMemTotalKiB: 50_000,
      guestMemUsedKiB: 10_000,
      guestLoad1: 0.1,
    })),
  });
}

describe("migration sample_host (real Prisma, real database)", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "corral-samplehost-"));
  const urls: string[] = [];
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.$disconnect();
    for (const url of urls) await dropTestDatabase(url);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** A database migrated to just before MIGRATION, with a guest and two ticks of its samples; and `hosts` registered. */
  async function before(
    name: string,
    hosts: string[],
  ): Promise<{ db: Db; dataDir: string; url: string; guestId: string }> {
    const dataDir = path.join(scratch, name);
    const url = testDatabaseUrl(dataDir);
    await createTestDatabase(url, { empty: true });
    urls.push(url);
    const applied = await migrateDatabase(rootBefore(path.join(scratch, `${name}-root`)), dataDir, url);
    expect(applied).not.toContain(MIGRATION);
    const db = openDatabase(url);
    dbs.push(db);
    const image = await db.image.create({ data: { name: "i", path: "/i", sizeBytes: 1n, sha256: "i" } });
    const guest = await db.guest.create({
      data: { name: "g", imageId: image.id, memoryMiB: 64 },
      select: { id: true },
    });
    // The Host table is as the client knows it: only the sample tables lack a column yet.
    for (const h of hosts) {
      await db.host.create({
        data: {
          id: h,
          name: h,
          address: "http://x",
          cores: 1,
          memoryMiB: 1,
          diskFreeMiB: 1,
          kernel: "k",
          version: "v",
          startedAt: AT,
          lastSeenAt: AT,
        },
      });
    }
    await oldSamples(db, guest.id);
    return { db, dataDir, url, guestId: guest.id };
  }

  const figures = async (db: Db) => ({
    host: await db.hostSample.findMany({
      orderBy: { at: "asc" },
      select: { at: true, cpuPct: true, guestHostMemKiB: true, hostId: true },
    }),
    guests: await db.guestSample.findMany({
      orderBy: { at: "asc" },
      select: { guestId: true, hostMemKiB: true, hostId: true },
    }),
  });

  it("keeps every sample and gives them to the one host registered", async () => {
    const { db, dataDir, url, guestId } = await before("one-host", ["h-only"]);
    expect(await migrateDatabase(root, dataDir, url)).toContain(MIGRATION);
    const after = await figures(db);
    expect(after.host.map((r) => [r.at.toISOString(), r.cpuPct, r.guestHostMemKiB, r.hostId])).toEqual([
      [AT.toISOString(), 40, 20_000, "h-only"],
      [new Date(+AT + 5000).toISOString(), 41, 20_001, "h-only"],
    ]);
    expect(after.guests).toEqual([
      { guestId, hostMemKiB: 20_000, hostId: "h-only" },
      { guestId, hostMemKiB: 20_001, hostId: "h-only" },
    ]);
  });

  it("with no host registered yet, keeps them for no host until a daemon claims them at start", async () => {
    const { db, dataDir, url } = await before("no-host", []);
    expect(await migrateDatabase(root, dataDir, url)).toContain(MIGRATION);
    expect((await figures(db)).host.map((r) => [r.cpuPct, r.hostId])).toEqual([
      [40, null],
      [41, null],
    ]);
    expect(await claimUnhostedSamples(db, "h-first")).toBe(4);
    const after = await figures(db);
    expect([...after.host, ...after.guests].map((r) => r.hostId)).toEqual(Array(4).fill("h-first"));
    expect(await claimUnhostedSamples(db, "h-second")).toBe(0); // claimed once
  });
});
