import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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
});
