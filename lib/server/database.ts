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

const providers = new WeakMap<Db, DatabaseProvider>();

/** A client for the database at `source`: a URL, or the environment that names it. */
export function openDatabase(source: Env | string = process.env): Db {
  const url = typeof source === "string" ? source : databaseUrl(source);
  if (databaseProvider(url) === "sqlite") {
    const db = new PrismaClient({ adapter: sqliteAdapter(url) });
    providers.set(db, "sqlite");
    return db;
  }
  const db = new PostgresClient({ adapter: postgresAdapter(url) }) as unknown as Db;
  providers.set(db, "postgresql");
  return db;
}

/** Which database a client from openDatabase speaks to. */
export function dbProvider(db: Db): DatabaseProvider {
  return providers.get(db) ?? "sqlite";
}

/**
 * A time as Prisma's SQLite adapter writes it (ISO 8601 with "+00:00"), for raw SQL that
 * writes rows: times are compared as text there, and another spelling would sort wrong.
 */
export function sqliteTime(at: Date): string {
  return at.toISOString().replace("Z", "+00:00");
}
