import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../lib/server/database";
import { databaseProvider } from "../lib/server/database-url";
import { migrateDatabase, pendingMigrations } from "./migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "./test-support/test-database";

// On SQLite, or on PostgreSQL (its own migrations, prisma/postgres/) under CORRAL_TEST_DATABASE=postgres.
describe("database migrations (real Prisma, real database)", () => {
  const root = path.resolve(__dirname, "..");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "corral-migrate-"));
  const urls: string[] = [];
  afterAll(async () => {
    for (const url of urls) await dropTestDatabase(url);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** A new, empty database of this run's kind. */
  async function emptyDatabase(dataDir: string): Promise<string> {
    const url = testDatabaseUrl(dataDir);
    await createTestDatabase(url, { empty: true });
    urls.push(url);
    return url;
  }

  it("creates the data folder and database on first use, as a CLI run before the daemon needs", async () => {
    const dataDir = path.join(scratch, "not", "yet");
    const url = await emptyDatabase(dataDir);
    const everything = await pendingMigrations(root, await emptyDatabase(path.join(scratch, "elsewhere")));
    const applied = await migrateDatabase(root, dataDir, url);
    expect(applied.length).toBeGreaterThan(0);
    expect(applied).toEqual(everything);
    expect(await pendingMigrations(root, url)).toEqual([]);
    expect(await migrateDatabase(root, dataDir, url)).toEqual([]); // nothing left to apply
    if (databaseProvider(url) === "sqlite") expect(fs.existsSync(path.join(dataDir, "corral.db"))).toBe(true);
  });

  // Prisma 7's CLI cannot run here (it downloads a native schema engine first): the rows are
  // compared with what `prisma migrate deploy` writes instead.
  it("records each migration as Prisma does: its name, its file's SHA-256, one step", async () => {
    const dataDir = path.join(scratch, "status");
    const url = await emptyDatabase(dataDir);
    await migrateDatabase(root, dataDir, url);
    const folder = path.join(
      root,
      databaseProvider(url) === "postgresql" ? "prisma/postgres/migrations" : "prisma/migrations",
    );
    const sha = (name: string) =>
      createHash("sha256")
        .update(fs.readFileSync(path.join(folder, name, "migration.sql")))
        .digest("hex");
    const db = openDatabase(url);
    try {
      const rows = await db.$queryRawUnsafe<Array<{ migration_name: string; checksum: string; steps: unknown }>>(
        'SELECT "migration_name", "checksum", "applied_steps_count" AS "steps" FROM "_prisma_migrations" ORDER BY "migration_name"',
      );
      expect(rows.map((r) => [r.migration_name, r.checksum, Number(r.steps)])).toEqual(
        (await pendingMigrations(root, await emptyDatabase(path.join(scratch, "none")))).map((m) => [m, sha(m), 1]),
      );
    } finally {
      await db.$disconnect();
    }
  });

  it("stops at a failing migration, applies nothing after it, and refuses again until it is resolved", async () => {
    const project = path.join(scratch, "failing");
    const postgres = databaseProvider(testDatabaseUrl(project)) === "postgresql";
    const folder = path.join(project, postgres ? "prisma/postgres/migrations" : "prisma/migrations");
    const migration = (name: string, sql: string) => {
      fs.mkdirSync(path.join(folder, name), { recursive: true });
      fs.writeFileSync(path.join(folder, name, "migration.sql"), sql);
    };
    migration("0001_first", 'CREATE TABLE "First" ("id" INTEGER PRIMARY KEY);\n');
    migration("0002_broken", 'CREATE TABLE "Second" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "Missing" VALUES (1);\n');
    migration("0003_after", 'CREATE TABLE "Third" ("id" INTEGER PRIMARY KEY);\n');
    const dataDir = path.join(project, "data");
    const url = await emptyDatabase(dataDir);
    const db = openDatabase(url);
    const attempts = async () =>
      (
        await db.$queryRawUnsafe<Array<{ migration_name: string }>>(
          'SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"',
        )
      ).map((r) => r.migration_name);
    try {
      await expect(migrateDatabase(project, dataDir, url)).rejects.toThrow(/migration 0002_broken failed: .*Missing/);
      expect(await pendingMigrations(project, url)).toEqual(["0002_broken", "0003_after"]);

      // Fixed, it is still not retried: its failure stands until someone marks it rolled back.
      migration("0002_broken", 'CREATE TABLE IF NOT EXISTS "Second" ("id" INTEGER PRIMARY KEY);\n');
      await expect(migrateDatabase(project, dataDir, url)).rejects.toThrow(/0002_broken failed.*rolled back/s);
      expect(await attempts()).toEqual(["0001_first", "0002_broken"]);
      expect(await pendingMigrations(project, url)).toEqual(["0002_broken", "0003_after"]);

      await db.$executeRawUnsafe(
        'UPDATE "_prisma_migrations" SET "rolled_back_at" = CURRENT_TIMESTAMP WHERE "migration_name" = \'0002_broken\'',
      );
      expect(await migrateDatabase(project, dataDir, url)).toEqual(["0002_broken", "0003_after"]);
      expect(await pendingMigrations(project, url)).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  });
});
