// Vitest global setup: with CORRAL_TEST_DATABASE=postgres, one throwaway PostgreSQL cluster
// for the whole run, with a migrated template database; each TestDaemon gets a copy of its
// own (test-database.ts), and migrate.int.test.ts migrates an empty one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrateDatabase } from "../migrate";
import { startPgCluster } from "./pg-cluster";
import { createTestDatabase } from "./test-database";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TEMPLATE = "corral_template";

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.CORRAL_TEST_DATABASE !== "postgres") return undefined;
  const cluster = await startPgCluster();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "corral-pg-template-"));
  try {
    await createTestDatabase(cluster.urlFor(TEMPLATE), { empty: true });
    await migrateDatabase(root, scratch, cluster.urlFor(TEMPLATE));
  } catch (err) {
    cluster.stop();
    throw err;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.env.CORRAL_TEST_POSTGRES_URL = cluster.adminUrl;
  process.env.CORRAL_TEST_POSTGRES_TEMPLATE = TEMPLATE;
  return () => cluster.stop();
}
