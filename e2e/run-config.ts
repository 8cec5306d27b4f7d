// Where playwright.config.ts runs the daemon and the web: shared so the tests that talk to
// the daemon directly (socket.io) agree with it.
export const WEB_PORT = Number(process.env.CORRAL_E2E_WEB_PORT || 3210);
export const DAEMON_PORT = Number(process.env.CORRAL_E2E_DAEMON_PORT || 4210);
export const WEB_URL = `http://127.0.0.1:${WEB_PORT}`;
export const DAEMON_URL = `http://127.0.0.1:${DAEMON_PORT}`;
