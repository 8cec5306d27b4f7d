import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Applies prisma/migrations to the data directory's database (creating it on first start). */
export async function migrateDatabase(projectRoot: string, dataDir: string): Promise<void> {
  const cli = path.join(projectRoot, "node_modules/prisma/build/index.js");
  await run(process.execPath, [cli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: { ...process.env, CORRAL_DATA_DIR: dataDir, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
}
