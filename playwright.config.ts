import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { e2eRunOptions } from "./e2e/browser";
import { ADMIN, ADMIN_STATE } from "./e2e/global-setup";
import { DAEMON_PORT, WEB_PORT, WEB_URL } from "./e2e/run-config";

// One throwaway data directory for the whole run, shared by the daemon and the web server.
// Set once in the runner process; workers inherit it.
process.env.CORRAL_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "corral-e2e-"));
const dataDir = process.env.CORRAL_E2E_DATA_DIR;
const tag = process.env.CORRAL_TEST_TAG ? `${process.env.CORRAL_TEST_TAG}-` : "";
process.env.CORRAL_E2E_RUN_DIR ??= path.join(os.tmpdir(), `corral-e2e-run-${tag}${path.basename(dataDir).slice(-6)}`);
const env = {
  CORRAL_DATA_DIR: dataDir,
  CORRAL_DAEMON_PORT: String(DAEMON_PORT),
  CORRAL_WEB_PORT: String(WEB_PORT),
  CORRAL_RUN_DIR: process.env.CORRAL_E2E_RUN_DIR,
  CORRAL_ADMIN_USERNAME: ADMIN.username,
  CORRAL_ADMIN_PASSWORD: ADMIN.password,
};

export default defineConfig({
  ...e2eRunOptions(WEB_URL, ADMIN_STATE),
  testDir: "e2e",
  // The fleet's run is its own (playwright.fleet.config.ts).
  testIgnore: "fleet/**",
  globalTeardown: "./e2e/global-teardown.ts",
  webServer: [
    {
      command: "node --import tsx scripts/bundled.ts daemon",
      url: `http://127.0.0.1:${DAEMON_PORT}/api/health`,
      env,
      reuseExistingServer: false,
      timeout: 300_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      stdout: "pipe",
    },
    {
      command: "node --import tsx scripts/bundled.ts web",
      url: WEB_URL,
      env,
      reuseExistingServer: false,
      timeout: 300_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
  ],
});
