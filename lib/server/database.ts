// The one way into Corral's database, for the daemon (which writes) and the web (which
// reads): a Prisma client on a driver adapter — better-sqlite3 at the data directory's file
// by default, or node-postgres when CORRAL_DATABASE_URL names a PostgreSQL server.
import { PrismaClient } from "../../generated/prisma/client";
import { PrismaClient as PostgresClient } from "../../generated/prisma-postgres/client";
import { databaseProvider, databaseUrl, type DatabaseProvider, type Env } from "./database-url";
import { postgresAdapter } from "./postgres-adapter";
import { sqliteAdapter } from "./sqlite-adapter";

/**
 * Both providers' clients have the same models (the PostgreSQL schema is derived from the
 * SQLite one: lib/server/postgres-schema.ts), so code is written against one type. Hazard:
 * only what both databases do alike belongs in queries — no `mode: "insensitive"` (SQLite has
 * none), no provider-specific raw SQL without a branch on `dbProvider`.
 */
export type Db = PrismaClient;

// On the client itself, not in a module's WeakMap: Next bundles this module into more than
// one chunk (pages, route handlers), and the web's client, kept on globalThis, is then read
// by a copy that never saw it made — a WeakMap there answered "sqlite" for PostgreSQL.
const PROVIDER = Symbol.for("corral.dbProvider");

function tagged(db: Db, provider: DatabaseProvider): Db {
  Object.defineProperty(db, PROVIDER, { value: provider });
  return db;
}

/** A client for the database at `source`: a URL, or the environment that names it. */
export function openDatabase(source: Env | string = process.env): Db {
  const url = typeof source === "string" ? source : databaseUrl(source);
  if (databaseProvider(url) === "sqlite") {
    return tagged(new PrismaClient({ adapter: sqliteAdapter(url) }), "sqlite");
  }
  return tagged(new PostgresClient({ adapter: postgresAdapter(url) }) as unknown as Db, "postgresql");
}

/** Which database a client from openDatabase speaks to. */
export function dbProvider(db: Db): DatabaseProvider {
  const provider = (db as unknown as Record<symbol, DatabaseProvider | undefined>)[PROVIDER];
  if (!provider) throw new Error("dbProvider: a database client not made by openDatabase");
  return provider;
}

/**
 * A time as Prisma's SQLite adapter writes it (ISO 8601 with "+00:00"), for raw SQL that
 * writes rows: times are compared as text there, and another spelling would sort wrong.
 */
export function sqliteTime(at: Date): string {
  return at.toISOString().replace("Z", "+00:00");
}
