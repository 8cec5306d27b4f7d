import path from "node:path";

export type Env = Record<string, string | undefined>;

// Shared by the daemon, the web and the Prisma CLI so all three open the same file.
export function dataDirectory(env: Env = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.CORRAL_DATA_DIR || "data");
}

export function databaseUrl(env: Env = process.env): string {
  return "file:" + path.join(dataDirectory(env), "corral.db");
}
