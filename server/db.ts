import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { databaseUrl, type Env } from "../lib/server/database-url";

export type Db = PrismaClient;

export function openDatabase(env: Env = process.env): Db {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl(env) }) });
}
