import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/generated/prisma/client";
import { databaseUrl } from "./database-url";

// The web's read-only view of the database. One client per server process: Next may
// evaluate this module more than once in development, so it is kept on globalThis.
const g = globalThis as unknown as { corralDb?: PrismaClient };

export const db: PrismaClient =
  g.corralDb ?? new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl() }) });
g.corralDb = db;
