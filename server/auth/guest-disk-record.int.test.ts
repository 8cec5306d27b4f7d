// recordGuestDisk on a real database (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres):
// every guest whose disk changed is written in one statement, read back through Prisma as
// measured; an unchanged guest keeps its row, a guest deleted meanwhile is skipped.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase, type Db } from "../../lib/server/database";
import type { Config } from "../config";
import { migrateDatabase } from "../migrate";
import { allocatedBytes } from "../storage/disk-files";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "../test-support/test-database";
import { recordGuestDisk } from "./quotas";

const root = path.resolve(__dirname, "../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-disk-"));
const config = { dataDir, runDir: path.join(dataDir, "run") } as Config;
const url = testDatabaseUrl(dataDir);
let db: Db;
const ids: string[] = [];

const guestDir = (id: string) => path.join(dataDir, "guests", id);
/** Writes `kib` KiB at `atMiB` into a sparse file of 1 GiB, so only what was written is allocated. */
function grow(file: string, kib: number, atMiB = 0) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT);
  fs.ftruncateSync(fd, 1 << 30);
  fs.writeSync(fd, Buffer.alloc(kib * 1024, 1), 0, kib * 1024, atMiB * 1024 * 1024);
  fs.closeSync(fd);
}

beforeAll(async () => {
  await createTestDatabase(url, { empty: true });
  await migrateDatabase(root, dataDir, url);
  db = openDatabase(url);
  const image = await db.image.create({ data: { name: "i", path: "/i", sizeBytes: 1n, sha256: "x" } });
  for (let i = 0; i < 4; i++)
    ids.push((await db.guest.create({ data: { name: `g${i}`, imageId: image.id, memoryMiB: 48 } })).id);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await dropTestDatabase(url);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const rows = async () =>
  new Map((await db.guestDisk.findMany()).map((r) => [r.guestId, { bytes: Number(r.bytes), at: r.measuredAt }]));

it("records every changed guest's disk at once, keeps unchanged rows, and skips guests deleted meanwhile", async () => {
  const [a, b, c, gone] = ids;
  grow(path.join(guestDir(a), "root.cow"), 64);
  grow(path.join(guestDir(b), "root.cow"), 128);
  grow(path.join(guestDir(b), "snapshots", "s1.cow"), 32);
  fs.mkdirSync(guestDir(c), { recursive: true }); // pristine: no layer yet
  // `gone` has no files here: another host's guest.
  const before = new Date();
  const first = await recordGuestDisk(config, db, ids);
  const bytesOf = async (...files: string[]) =>
    (await Promise.all(files.map((f) => allocatedBytes(f)))).reduce((x, y) => x + y, 0);
  const aBytes = await bytesOf(path.join(guestDir(a), "root.cow"));
  const bBytes = await bytesOf(path.join(guestDir(b), "root.cow"), path.join(guestDir(b), "snapshots", "s1.cow"));
  expect(aBytes).toBeGreaterThanOrEqual(64 * 1024);
  expect(bBytes).toBeGreaterThanOrEqual(160 * 1024);
  expect(first).toEqual(
    new Map([
      [a, aBytes],
      [b, bBytes],
      [c, 0],
    ]),
  );
  const written = await rows();
  expect(new Map([...written].map(([id, r]) => [id, r.bytes]))).toEqual(first);
  for (const r of written.values()) {
    expect(r.at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(r.at.getTime()).toBeLessThanOrEqual(Date.now());
  }

  // a grows, b stays, c is deleted before the next measurement (its files still here).
  grow(path.join(guestDir(a), "root.cow"), 64, 512);
  await db.guest.delete({ where: { id: c } });
  await new Promise((r) => setTimeout(r, 5));
  const second = await recordGuestDisk(config, db, ids);
  const after = await rows();
  expect(second.get(a)).toBeGreaterThan(aBytes);
  expect(after.get(a)?.bytes).toBe(second.get(a));
  expect(after.get(a)!.at.getTime()).toBeGreaterThan(written.get(a)!.at.getTime());
  expect(after.get(b)).toEqual(written.get(b));
  expect(after.has(c)).toBe(false);
  expect(after.has(gone)).toBe(false);
});
