import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, databaseUrl } from "../lib/server/database-url";
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from "../lib/server/postgres-schema";

const run = promisify(execFile);
const APPLIED = "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL";

/** Migrations (of the URL's provider) that the database at `url` has not finished applying. */
export async function pendingMigrations(projectRoot: string, url: string): Promise<string[]> {
  const postgres = databaseProvider(url) === "postgresql";
  const all = fs
    .readdirSync(path.join(projectRoot, postgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const applied = postgres ? await appliedOnPostgres(url) : appliedOnSqlite(url.replace(/^file:/, ""));
  return all.filter((m) => !applied.has(m));
}

function appliedOnSqlite(dbFile: string): Set<string> {
  if (!fs.existsSync(dbFile)) return new Set();
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare(APPLIED).all() as Array<{ migration_name: string }>).map((r) => r.migration_name));
  } catch {
    return new Set(); // no _prisma_migrations table yet
  } finally {
    db.close();
  }
}

async function appliedOnPostgres(url: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot reach the database in CORRAL_DATABASE_URL: ${(err as Error).message}`, { cause: err });
  }
  try {
    const { rows } = await client.query<{ migration_name: string }>(APPLIED);
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
 * Skipped when nothing is pending: `migrate deploy` wants a SQLite database to itself, and
 * the web server may hold it open while the daemon restarts. On PostgreSQL it takes an
 * advisory lock, so daemons of a fleet starting together apply each migration once.
 */
export async function migrateDatabase(
  projectRoot: string,
  dataDir: string,
  url = databaseUrl({ CORRAL_DATA_DIR: dataDir }),
): Promise<string[]> {
  // SQLite creates the file, not its folder: a CLI may run before the daemon ever has.
  fs.mkdirSync(dataDir, { recursive: true });
  const pending = await pendingMigrations(projectRoot, url);
  if (pending.length === 0) return [];
  const cli = path.join(projectRoot, "node_modules/prisma/build/index.js");
  const { CORRAL_DATABASE_URL: _, ...env } = process.env;
  const target = databaseProvider(url) === "postgresql" ? { CORRAL_DATABASE_URL: url } : { CORRAL_DATA_DIR: dataDir };
  await run(process.execPath, [cli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: { ...env, ...target, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
  return pending;
}
