import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA,
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA,
  derivePostgresSchema,
} from "./postgres-schema";

const root = path.resolve(__dirname, "../..");
const read = (p: string) => fs.readFileSync(path.join(root, p), "utf8");
const dirs = (p: string) =>
  fs
    .readdirSync(path.join(root, p), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

describe("the PostgreSQL schema, derived from the SQLite one", () => {
  it("is what prisma/schema.prisma derives to (else: run `npm run db:postgres` and commit what it writes)", () => {
    expect(read(POSTGRES_SCHEMA), "prisma/postgres/ is stale: run `npm run db:postgres`").toBe(
      derivePostgresSchema(read(SQLITE_SCHEMA)),
    );
  });

  it("has a migration for every step, none older than the SQLite history it starts from", () => {
    const pg = dirs(POSTGRES_MIGRATIONS);
    expect(pg.length).toBeGreaterThan(0);
    for (const m of pg) expect(fs.existsSync(path.join(root, POSTGRES_MIGRATIONS, m, "migration.sql")), m).toBe(true);
    expect(read(path.join(POSTGRES_MIGRATIONS, "migration_lock.toml"))).toContain('provider = "postgresql"');
    // Every later PostgreSQL migration answers a SQLite migration of the same name.
    const sqlite = new Set(dirs(SQLITE_MIGRATIONS));
    for (const m of pg.slice(1)) expect(sqlite.has(m), `${m} has no SQLite twin`).toBe(true);
  });

  it("swaps only the provider and the client's folder, and refuses a schema it cannot read", () => {
    const sqlite = read(SQLITE_SCHEMA);
    const pg = derivePostgresSchema(sqlite);
    expect(pg).toContain('provider = "postgresql"');
    expect(pg).toMatch(/output\s*=\s*"\.\.\/\.\.\/generated\/prisma-postgres"/);
    expect(pg.replace(/^\/\/ GENERATED[^\n]*\n[^\n]*\n\n/, "")).toBe(
      sqlite.replace('provider = "sqlite"', 'provider = "postgresql"').replace('"../generated/prisma"', '"../../generated/prisma-postgres"'),
    );
    expect(() => derivePostgresSchema(sqlite.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/provider = "sqlite"/);
  });
});
