import path from "node:path";

// Shared by the daemon, the web and the Prisma CLI so all three open the same file.
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.CORRAL_DATA_DIR || "data");
}

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return "file:" + path.join(dataDirectory(env), "corral.db");
}
