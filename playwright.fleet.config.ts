import path from "node:path";
import { defineConfig } from "@playwright/test";
import { BROWSER } from "./e2e/browser";
import { FLEET_WEB_URL } from "./e2e/fleet/run-config";

// The fleet's end-to-end run: two hosts' daemons on one throwaway PostgreSQL behind one web
// (e2e/fleet/stack.ts), in a real browser, after the one-host run (scripts/test.sh).
export default defineConfig({
  testDir: "e2e/fleet",
  // Deadlines catch hangs only: a slow machine must not fail a test that would pass.
  timeout: 300_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: FLEET_WEB_URL,
    storageState: path.join(import.meta.dirname, "e2e/.auth/fleet-admin.json"),
    extraHTTPHeaders: { origin: FLEET_WEB_URL },
    ...BROWSER,
  },
  webServer: {
    command: "node --import tsx e2e/fleet/stack.ts",
    url: `${FLEET_WEB_URL}/login`,
    reuseExistingServer: false,
    timeout: 300_000,
    // Forcing off the guests, then stopping two daemons, their keepers and PostgreSQL.
    gracefulShutdown: { signal: "SIGTERM", timeout: 120_000 },
  },
});
