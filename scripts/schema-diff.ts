// Prisma's `migrate diff` on a machine without internet. Prisma 7's CLI fetches a native
// schema engine (binaries.prisma.sh) before any migrate command; Prisma 6.19's CLI carries one
// as WebAssembly. So the SQL between two schemas comes from 6.19's CLI, fetched from npm once
// into ~/.cache/corral, given copies of the schemas in its dialect (a datasource URL, the
// client engine) and the project's own driver adapter, which it accepts.
//   npm run db:diff -- [FROM.prisma]   prints the SQLite migration from FROM (or from nothing)
//                                      to prisma/schema.prisma
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const CLI_VERSION = "6.19.3";

/** 6.19's CLI, installed once into the cache (a minute, from npm; later runs reuse it). */
function legacyCli(): string {
  const dir = path.join(os.homedir(), ".cache/corral", `prisma-${CLI_VERSION}`);
  const cli = path.join(dir, "node_modules/prisma/build/index.js");
  if (!fs.existsSync(cli)) {
    console.error(`fetching prisma@${CLI_VERSION}'s CLI for migrate diff into ${dir}…`);
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, `prisma@${CLI_VERSION}`], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  return cli;
}

/**
 * The schema as 6.19 reads it: its datasource names a URL, its client the JS engine (a schema
 * from before Prisma 7, out of git history, has both already).
 */
function legacySchema(schema: string): string {
  const text = schema.replace(/^\s*(url|engineType)\s*=.*\n/gm, "");
  const withUrl = text.replace(
    /^(datasource db \{\n\s*provider\s*=\s*"[a-z]+"\n)/m,
    '$1  url      = env("DATABASE_URL")\n',
  );
  const withEngine = withUrl.replace(/^(generator client \{\n(?:[^}\n]*\n)*?)\}/m, '$1  engineType = "client"\n}');
  if (withUrl === text || withEngine === withUrl)
    throw new Error("schema-diff: unexpected datasource or generator block");
  return withEngine;
}

/**
 * The SQL that takes the schema `from` (its text; null: an empty database) to `to`.
 * `databaseUrl` is what the adapter connects to: `file::memory:` for SQLite; for PostgreSQL a
 * server, which the CLI asks even between two files.
 */
export function schemaDiff(from: string | null, to: string, databaseUrl: string): string {
  const cli = legacyCli();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "corral-schema-diff-"));
  try {
    const toFile = path.join(tmp, "to.prisma");
    fs.writeFileSync(toFile, legacySchema(to));
    const fromArgs = from === null ? ["--from-empty"] : ["--from-schema-datamodel", path.join(tmp, "from.prisma")];
    if (from !== null) fs.writeFileSync(fromArgs[1], legacySchema(from));
    const postgres = databaseUrl.startsWith("postgres");
    const adapter = postgres
      ? `import { postgresAdapter as make } from ${JSON.stringify(path.join(root, "lib/server/postgres-adapter.ts"))};`
      : `import { PrismaBetterSqlite3 } from ${JSON.stringify(path.join(root, "node_modules/@prisma/adapter-better-sqlite3/dist/index.js"))};\nconst make = (url) => new PrismaBetterSqlite3({ url });`;
    fs.writeFileSync(
      path.join(tmp, "prisma.config.ts"),
      `import { defineConfig } from ${JSON.stringify(path.join(path.dirname(cli), "../config.js"))};\n${adapter}\n` +
        `export default defineConfig({ experimental: { adapter: true }, engine: "js", schema: ${JSON.stringify(toFile)},\n` +
        `  async adapter() { return make(${JSON.stringify(databaseUrl)}); } });\n`,
    );
    return execFileSync(
      process.execPath,
      [
        cli,
        "migrate",
        "diff",
        "--config",
        path.join(tmp, "prisma.config.ts"),
        ...fromArgs,
        "--to-schema-datamodel",
        toFile,
        "--script",
      ],
      {
        cwd: tmp,
        encoding: "utf8",
        // It never loads the query engine; a stand-in path spares its download.
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
          PRISMA_HIDE_UPDATE_MESSAGE: "1",
          CHECKPOINT_DISABLE: "1",
        },
      },
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const from = process.argv[2] ? fs.readFileSync(process.argv[2], "utf8") : null;
  process.stdout.write(
    schemaDiff(from, fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8"), "file::memory:"),
  );
}
