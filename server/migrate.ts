import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseProvider, databaseUrl } from "../lib/server/database-url";
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from "../lib/server/postgres-schema";
import { connectPostgres, FINISHED, postgresLedger, sqliteLedger } from "./migration-ledger";

/** Migrations (of the URL's provider) that the database at `url` has not finished applying. */
export async function pendingMigrations(projectRoot: string, url: string): Promise<string[]> {
  const postgres = databaseProvider(url) === "postgresql";
  const all = migrationNames(path.join(projectRoot, postgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS));
  const applied = postgres ? await appliedOnPostgres(url) : appliedOnSqlite(url.replace(/^file:/, ""));
  return all.filter((m) => !applied.has(m));
}

/** The migrations in `folder`, oldest first (their names begin with their time). */
function migrationNames(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function appliedOnSqlite(dbFile: string): Set<string> {
  if (!fs.existsSync(dbFile)) return new Set();
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare(FINISHED).all() as Array<{ migration_name: string }>).map((r) => r.migration_name));
  } catch {
    return new Set(); // no _prisma_migrations table yet
  } finally {
    db.close();
  }
}

async function appliedOnPostgres(url: string): Promise<Set<string>> {
  const client = await connectPostgres(url);
  try {
    const { rows } = await client.query<{ migration_name: string }>(FINISHED);
    return new Set(rows.map((r) => r.migration_name));
  } catch (err) {
    if ((err as { code?: string }).code === "42P01") return new Set(); // no _prisma_migrations table yet
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * Applies the migrations to the database (creating SQLite's file on first start): SQLite's
 * prisma/migrations, or PostgreSQL's prisma/postgres/migrations when `url` names a server.
 * Recorded in Prisma's own table (migration-ledger.ts), in order; a migration that failed
 * before stops everything until it is resolved, as `prisma migrate deploy` does. Returns the
 * names applied.
 */
export async function migrateDatabase(
  projectRoot: string,
  dataDir: string,
  url = databaseUrl({ CORRAL_DATA_DIR: dataDir }),
): Promise<string[]> {
  // SQLite creates the file, not its folder: a CLI may run before the daemon ever has.
  fs.mkdirSync(dataDir, { recursive: true });
  if ((await pendingMigrations(projectRoot, url)).length === 0) return [];
  const postgres = databaseProvider(url) === "postgresql";
  const folder = path.join(projectRoot, postgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS);
  const ledger = postgres ? await postgresLedger(url) : sqliteLedger(url.replace(/^file:/, ""));
  try {
    const failed = await ledger.failed();
    if (failed) throw migrationFailed(failed.name, failed.logs);
    // Read again under the ledger's lock: another daemon may have applied some meanwhile.
    const finished = await ledger.finished();
    const pending = migrationNames(folder).filter((m) => !finished.has(m));
    for (const name of pending) {
      try {
        await ledger.apply(name, fs.readFileSync(path.join(folder, name, "migration.sql"), "utf8"));
      } catch (err) {
        throw migrationFailed(name, String(err));
      }
    }
    return pending;
  } finally {
    await ledger.close();
  }
}

function migrationFailed(name: string, logs: string | null): Error {
  return new Error(
    `database migration ${name} failed${logs ? `: ${logs}` : ""}. Nothing after it was applied. ` +
      `Fix the cause (the migration's SQL is in its folder), mark it rolled back ` +
      `(\`npx prisma migrate resolve --rolled-back ${name}\`, or set its rolled_back_at in ` +
      `_prisma_migrations), and start again.`,
  );
}
