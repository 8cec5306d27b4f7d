import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
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

  it("records each migration as Prisma does: its CLI finds the database up to date", async () => {
    const dataDir = path.join(scratch, "status");
    const url = await emptyDatabase(dataDir);
    await migrateDatabase(root, dataDir, url);
    const { CORRAL_DATABASE_URL: _, ...env } = process.env;
    const target = databaseProvider(url) === "postgresql" ? { CORRAL_DATABASE_URL: url } : { CORRAL_DATA_DIR: dataDir };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "status"],
      { cwd: root, env: { ...env, ...target, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" } },
    );
    expect(stdout).toContain("Database schema is up to date");
  });

  it("stops at a failing migration, applies nothing after it, and refuses again until it is resolved", async () => {
    const project = path.join(scratch, "failing");
    const folder = path.join(
      project,
      databaseProvider(testDatabaseUrl(project)) === "postgresql" ? "prisma/postgres/migrations" : "prisma/migrations",
    );
    const migration = (name: string, sql: string) => {
      fs.mkdirSync(path.join(folder, name), { recursive: true });
      fs.writeFileSync(path.join(folder, name, "migration.sql"), sql);
    };
    migration("0001_first", 'CREATE TABLE "First" ("id" INTEGER PRIMARY KEY);\n');
    migration("0002_broken", 'CREATE TABLE "Second" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "Missing" VALUES (1);\n');
    migration("0003_after", 'CREATE TABLE "Third" ("id" INTEGER PRIMARY KEY);\n');
    const dataDir = path.join(project, "data");
    const url = await emptyDatabase(dataDir);

    await expect(migrateDatabase(project, dataDir, url)).rejects.toThrow(/migration 0002_broken failed: .*Missing/);
    expect(await pendingMigrations(project, url)).toEqual(["0002_broken", "0003_after"]);
    await expect(migrateDatabase(project, dataDir, url)).rejects.toThrow(
      /0002_broken failed.*migrate resolve --rolled-back 0002_broken/s,
    );
    expect(await pendingMigrations(project, url)).toEqual(["0002_broken", "0003_after"]);
  });
});
