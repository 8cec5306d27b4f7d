import { defineConfig } from "prisma/config";
import { databaseProvider, databaseUrl } from "./lib/server/database-url";
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA, SQLITE_MIGRATIONS, SQLITE_SCHEMA } from "./lib/server/postgres-schema";

// Prisma's CLI (generate) reads the database from here; derive it like the daemon does:
// PostgreSQL when CORRAL_DATABASE_URL names one (its schema is derived:
// lib/server/postgres-schema.ts), else SQLite in CORRAL_DATA_DIR.
const url = databaseUrl();
const postgres = databaseProvider(url) === "postgresql";

export default defineConfig({
  schema: postgres ? POSTGRES_SCHEMA : SQLITE_SCHEMA,
  migrations: { path: postgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS },
  datasource: { url },
});
