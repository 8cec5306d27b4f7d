// PostgreSQL's schema is derived from prisma/schema.prisma, never edited by hand: the models
// are written once (for SQLite, the default), and this swaps the provider and the generated
// client's folder. `npm run db:postgres` (scripts/postgres-schema.ts) writes the result and
// its migration; a unit test fails while the two have drifted apart.

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRES_SCHEMA = "prisma/postgres/schema.prisma";
export const SQLITE_MIGRATIONS = "prisma/migrations";
export const POSTGRES_MIGRATIONS = "prisma/postgres/migrations";

const HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:postgres` — do not edit: change that\n" +
  "// file, write its SQLite migration, then run the command (it writes the PostgreSQL twin).\n\n";

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const hits = text.match(new RegExp(pattern.source, "gm"))?.length ?? 0;
  if (hits !== 1) throw new Error(`${SQLITE_SCHEMA}: expected one ${what}, found ${hits}`);
  return text.replace(new RegExp(pattern.source, "m"), replacement);
}

/** The PostgreSQL schema for the SQLite schema's text. */
export function derivePostgresSchema(sqlite: string): string {
  let pg = replaceOnce(sqlite, /^(\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'provider = "sqlite"');
  pg = replaceOnce(pg, /^(\s*output\s*=\s*)"\.\.\/generated\/prisma"/, '$1"../../generated/prisma-postgres"', "client output");
  return HEADER + pg;
}
