import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/generated/prisma/client";
import { webEnv } from "./env";

// The web's read-only view of the database. One client per server process: Next may
// evaluate this module more than once in development, so it is kept on globalThis.
const g = globalThis as unknown as { corralDb?: PrismaClient };

export const db: PrismaClient =
  g.corralDb ?? new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: webEnv().databaseUrl }) });
g.corralDb = db;
