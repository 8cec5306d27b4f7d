// Where playwright.fleet.config.ts serves the fleet's web (its daemons take free ports).
export const FLEET_WEB_PORT = Number(process.env.CORRAL_E2E_FLEET_WEB_PORT || 3211);
export const FLEET_WEB_URL = `http://127.0.0.1:${FLEET_WEB_PORT}`;
