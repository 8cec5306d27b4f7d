import path from "node:path";

// What playwright.config.ts sets up and the tests need to know: shared so both agree.

/** The first admin the e2e daemon creates from its environment (no generated password to fish out of a log). */
export const ADMIN = { username: "admin", password: "e2e-admin-password-1" };

export const WEB_PORT = Number(process.env.CORRAL_E2E_WEB_PORT || 3210);
export const DAEMON_PORT = Number(process.env.CORRAL_E2E_DAEMON_PORT || 4210);
export const WEB_URL = `http://127.0.0.1:${WEB_PORT}`;
export const DAEMON_URL = `http://127.0.0.1:${DAEMON_PORT}`;

/** Where the setup project keeps the admin's signed-in browser state; inside the run's data directory. */
export function adminStatePath(): string {
  const dataDir = process.env.CORRAL_E2E_DATA_DIR;
  if (!dataDir) throw new Error("CORRAL_E2E_DATA_DIR is set by playwright.config.ts");
  return path.join(dataDir, "e2e-admin-state.json");
}
