import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, pendingMigrations } from "./migrate";

describe("database migrations (real Prisma, real SQLite)", () => {
  const root = path.resolve(__dirname, "..");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "corral-migrate-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("creates the data folder and database on first use, as a CLI run before the daemon needs", async () => {
    const dataDir = path.join(scratch, "not", "yet");
    const applied = await migrateDatabase(root, dataDir);
    expect(applied.length).toBeGreaterThan(0);
    expect(applied).toEqual(pendingMigrations(root, path.join(scratch, "elsewhere.db")));
    expect(pendingMigrations(root, path.join(dataDir, "corral.db"))).toEqual([]);
    expect(await migrateDatabase(root, dataDir)).toEqual([]); // nothing left to apply
  });
});
