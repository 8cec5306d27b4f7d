import path from "node:path";

export type Env = Record<string, string | undefined>;
export type DatabaseProvider = "sqlite" | "postgresql";

// Shared by the daemon, the web and the Prisma CLI so all three open the same database.
export function dataDirectory(env: Env = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.CORRAL_DATA_DIR || "data");
}

/**
 * CORRAL_DATABASE_URL when it names a PostgreSQL server (a fleet's shared database), else the
 * SQLite file in the data directory (one host, nothing to set up).
 */
export function databaseUrl(env: Env = process.env): string {
  const url = env.CORRAL_DATABASE_URL?.trim();
  if (url) {
    if (databaseProvider(url) !== "postgresql")
      throw new Error(
        `CORRAL_DATABASE_URL must be a postgres:// or postgresql:// URL (got "${url.split(":")[0]}:…"); unset it to use SQLite in CORRAL_DATA_DIR.`,
      );
    return url;
  }
  return "file:" + path.join(dataDirectory(env), "corral.db");
}

export function databaseProvider(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}
