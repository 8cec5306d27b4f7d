import { createHash, randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";

/**
 * A database's record of its migrations, kept in Prisma's own table (`_prisma_migrations`,
 * created with Prisma's DDL and filled as `prisma migrate deploy` fills it), so databases
 * migrated before and Prisma's CLI read it as their own. One migration is its folder's
 * `migration.sql`, run as one script: on SQLite by `exec`, as Prisma's adapter runs it, outside
 * a transaction (a table's redefinition turns `PRAGMA foreign_keys` off, which a transaction
 * would ignore); on PostgreSQL as one simple query, so its statements are all applied or none
 * (Prisma's adapter runs them one by one; `CREATE INDEX CONCURRENTLY` cannot be used here).
 */
export interface MigrationLedger {
  /** Names of the migrations finished here. */
  finished(): Promise<Set<string>>;
  /** A migration that started and neither finished nor was rolled back: it must be resolved first. */
  failed(): Promise<{ name: string; logs: string | null } | null>;
  /** Runs `sql` as migration `name`, recording its start, then its end or its error. */
  apply(name: string, sql: string): Promise<void>;
  close(): Promise<void>;
}

/** The names of the migrations finished in a database (readable before the ledger is opened). */
export const FINISHED = "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL";
const FAILED =
  "SELECT migration_name, logs FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL ORDER BY started_at LIMIT 1";
// Prisma's checksum of a migration: the SHA-256 of its file, in hex.
const checksum = (sql: string) => createHash("sha256").update(sql).digest("hex");
// The times Prisma writes in SQLite's table (text): ISO with an explicit offset.
const sqliteNow = () => new Date().toISOString().replace("Z", "+00:00");

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** SQLite's ledger in the database file `file` (created, as the table is, if missing). */
export function sqliteLedger(file: string): MigrationLedger {
  const db = new Database(file);
  try {
    db.exec(SQLITE_TABLE);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    finished: async () =>
      new Set(
        db
          .prepare<[], { migration_name: string }>(FINISHED)
          .all()
          .map((r) => r.migration_name),
      ),
    failed: async () => {
      const row = db.prepare<[], { migration_name: string; logs: string | null }>(FAILED).get();
      return row ? { name: row.migration_name, logs: row.logs } : null;
    },
    apply: async (name, sql) => {
      const id = randomUUID();
      db.prepare(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)",
      ).run(id, checksum(sql), name, sqliteNow());
      try {
        db.exec(sql);
      } catch (err) {
        if (db.inTransaction) db.exec("ROLLBACK"); // a script's own BEGIN, left open by its error
        db.prepare("UPDATE _prisma_migrations SET logs = ? WHERE id = ?").run(String(err), id);
        throw err;
      }
      db.prepare("UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?").run(
        sqliteNow(),
        id,
      );
    },
    close: async () => void db.close(),
  };
}

/** A connection to the server in `url`, saying which setting names it when it cannot be reached. */
export async function connectPostgres(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A connection lost mid-query rejects that query; without a listener, its "error" event
  // (emitted too) would end the process instead.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot reach the database in CORRAL_DATABASE_URL: ${(err as Error).message}`, { cause: err });
  }
  return client;
}

// Prisma's own advisory lock key: a `prisma migrate` run elsewhere waits on the same lock.
const PRISMA_LOCK = 72707369;

/**
 * PostgreSQL's ledger, holding Prisma's advisory lock until closed: daemons of a fleet starting
 * together apply each migration once (the next reads `finished()` after the first is done).
 */
export async function postgresLedger(url: string): Promise<MigrationLedger> {
  const client = await connectPostgres(url);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_LOCK]);
    await client.query(POSTGRES_TABLE);
  } catch (err) {
    await client.end();
    throw err;
  }
  return {
    finished: async () =>
      new Set((await client.query<{ migration_name: string }>(FINISHED)).rows.map((r) => r.migration_name)),
    failed: async () => {
      const [row] = (await client.query<{ migration_name: string; logs: string | null }>(FAILED)).rows;
      return row ? { name: row.migration_name, logs: row.logs } : null;
    },
    apply: async (name, sql) => {
      const id = randomUUID();
      await client.query(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)",
        [id, checksum(sql), name],
      );
      try {
        await client.query(sql); // a simple query: its statements run as one transaction
      } catch (err) {
        // A script's own BEGIN leaves the session in a failed transaction until it ends.
        await client.query("ROLLBACK").catch(() => {});
        await client.query("UPDATE _prisma_migrations SET logs = $1 WHERE id = $2", [String(err), id]);
        throw err;
      }
      await client.query("UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1", [
        id,
      ]);
    },
    // Ending the session releases its lock too: a failed unlock must not hide the error
    // that brought us here.
    close: async () => {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_LOCK]).catch(() => {});
      await client.end();
    },
  };
}
