// Which database a TestDaemon stands on: SQLite in its data directory (the default), or a
// fresh database of its own on the run's throwaway PostgreSQL cluster when
// CORRAL_TEST_POSTGRES_URL names that cluster (vitest's global setup starts one for
// CORRAL_TEST_DATABASE=postgres: server/test-support/pg-global-setup.ts).
import path from "node:path";
import pg from "pg";
import { databaseProvider } from "../../lib/server/database-url";

export const onPostgres = () => !!process.env.CORRAL_TEST_POSTGRES_URL;

/** The URL a daemon with this data directory uses in this run. */
export function testDatabaseUrl(dataDir: string): string {
  const cluster = process.env.CORRAL_TEST_POSTGRES_URL;
  if (!cluster) return "file:" + path.join(dataDir, "corral.db");
  const url = new URL(cluster);
  url.pathname =
    "/corral_" +
    path
      .basename(dataDir)
      .replace(/[^a-z0-9]/gi, "_")
      .toLowerCase();
  return url.toString();
}

async function onCluster(url: string, sql: (name: string) => string): Promise<void> {
  if (databaseProvider(url) !== "postgresql") return;
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a test database name: ${name}`);
  target.pathname = "/postgres";
  // Bounded: a statement that waits (on a lock, on sessions that will not end) fails, naming itself.
  const client = new pg.Client({
    connectionString: target.toString(),
    statement_timeout: 60_000,
    connectionTimeoutMillis: 60_000,
  });
  await client.connect();
  try {
    await client.query(sql(name));
  } finally {
    await client.end();
  }
}

/**
 * Creates the PostgreSQL database (SQLite's file needs nothing): a copy of the run's migrated
 * template (pg-global-setup.ts; a copy takes milliseconds, migrating takes longer), or
 * empty when `empty` is set — to test the migrations themselves.
 */
export function createTestDatabase(url: string, { empty = false } = {}): Promise<void> {
  const template = process.env.CORRAL_TEST_POSTGRES_TEMPLATE;
  return onCluster(url, (n) => `CREATE DATABASE "${n}"` + (template && !empty ? ` TEMPLATE "${template}"` : ""));
}

/** Drops the PostgreSQL database, closing whatever still holds it. */
export const dropTestDatabase = (url: string) => onCluster(url, (n) => `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
