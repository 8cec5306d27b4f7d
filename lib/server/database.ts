// The one way into Corral's database, for the daemon (which writes) and the web (which
// reads): a Prisma client on the better-sqlite3 driver adapter at the data directory's file.
import { PrismaClient } from "../../generated/prisma/client";
import { databaseUrl, type Env } from "./database-url";
import { sqliteAdapter } from "./sqlite-adapter";

export type Db = PrismaClient;

/** A client for the database at `source`: a URL, or the environment that names the data directory. */
export function openDatabase(source: Env | string = process.env): Db {
  const url = typeof source === "string" ? source : databaseUrl(source);
  return new PrismaClient({ adapter: sqliteAdapter(url) });
}
