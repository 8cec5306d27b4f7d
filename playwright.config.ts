import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// One throwaway data directory for the whole run, shared by the daemon and the web server.
// Set once in the runner process; workers inherit it.
process.env.CORRAL_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "corral-e2e-"));
const dataDir = process.env.CORRAL_E2E_DATA_DIR;
const webPort = Number(process.env.CORRAL_E2E_WEB_PORT || 3210);
const daemonPort = Number(process.env.CORRAL_E2E_DAEMON_PORT || 4210);
const tag = process.env.CORRAL_TEST_TAG ? `${process.env.CORRAL_TEST_TAG}-` : "";
process.env.CORRAL_E2E_RUN_DIR ??= path.join(os.tmpdir(), `corral-e2e-run-${tag}${path.basename(dataDir).slice(-6)}`);
const env = {
  CORRAL_DATA_DIR: dataDir,
  CORRAL_DAEMON_PORT: String(daemonPort),
  CORRAL_WEB_PORT: String(webPort),
  CORRAL_RUN_DIR: process.env.CORRAL_E2E_RUN_DIR,
  CORRAL_ADMIN_PASSWORD: "e2e-admin-password",
};

export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL: `http://127.0.0.1:${webPort}`,
    storageState: "e2e/.auth/admin.json",
    // State-changing API calls must carry Corral's Origin, as a browser's would.
    extraHTTPHeaders: { origin: `http://127.0.0.1:${webPort}` },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: "node --import tsx server/index.ts",
      url: `http://127.0.0.1:${daemonPort}/api/health`,
      env,
      reuseExistingServer: false,
      timeout: 120_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      stdout: "pipe",
    },
    {
      command: `node node_modules/next/dist/bin/next start -p ${webPort} -H 127.0.0.1`,
      url: `http://127.0.0.1:${webPort}`,
      env,
      reuseExistingServer: false,
      timeout: 120_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
  ],
});
