import path from "node:path";
import { defineConfig } from "@playwright/test";
import { e2eRunOptions } from "./e2e/browser";
import { FLEET_WEB_URL } from "./e2e/fleet/run-config";

// The fleet's end-to-end run: two hosts' daemons on one throwaway PostgreSQL behind one web
// (e2e/fleet/stack.ts), in a real browser, after the one-host run (scripts/test.sh).
export default defineConfig({
  ...e2eRunOptions(FLEET_WEB_URL, path.join(import.meta.dirname, "e2e/.auth/fleet-admin.json")),
  testDir: "e2e/fleet",
  webServer: {
    command: "node --import tsx e2e/fleet/stack.ts",
    url: `${FLEET_WEB_URL}/login`,
    reuseExistingServer: false,
    timeout: 300_000,
    // Forcing off the guests, then stopping two daemons, their keepers and PostgreSQL.
    gracefulShutdown: { signal: "SIGTERM", timeout: 120_000 },
  },
});
