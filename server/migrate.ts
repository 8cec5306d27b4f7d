import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";

const run = promisify(execFile);

/** Migrations in prisma/migrations that the database has not finished applying. */
export function pendingMigrations(projectRoot: string, dbFile: string): string[] {
  const all = fs
    .readdirSync(path.join(projectRoot, "prisma/migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  if (!fs.existsSync(dbFile)) return all;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const applied = new Set(
      (
        db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL").all() as Array<{
          migration_name: string;
        }>
      ).map((r) => r.migration_name),
    );
    return all.filter((m) => !applied.has(m));
  } catch {
    return all; // no _prisma_migrations table yet
  } finally {
    db.close();
  }
}

/**
 * Applies prisma/migrations to the data directory's database (creating it on first start).
 * Skipped when nothing is pending: `migrate deploy` wants the database to itself, and the
 * web server may hold it open while the daemon restarts.
 */
export async function migrateDatabase(projectRoot: string, dataDir: string): Promise<string[]> {
  // SQLite creates the file, not its folder: a CLI may run before the daemon ever has.
  fs.mkdirSync(dataDir, { recursive: true });
  const pending = pendingMigrations(projectRoot, path.join(dataDir, "corral.db"));
  if (pending.length === 0) return [];
  const cli = path.join(projectRoot, "node_modules/prisma/build/index.js");
  await run(process.execPath, [cli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: { ...process.env, CORRAL_DATA_DIR: dataDir, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
  return pending;
}
