// The fleet end-to-end run's servers, as Playwright's one web server command
// (playwright.fleet.config.ts): a throwaway PostgreSQL, the daemons of two hosts (fleet-a,
// fleet-b) sharing it and a fleet secret, and the web in front of fleet-a — one sign-in for
// both hosts. SIGTERM (Playwright stopping it) or SIGINT stops the web, forces off every
// guest, ends both daemons and their keepers, and removes the cluster and the data.
import { spawn } from "node:child_process";
import { bundledArgv } from "../../server/bundle";
import { FleetRig } from "../../server/test-support/fleet-rig";
import { ADMIN } from "../global-setup";
import { FLEET_WEB_PORT } from "./run-config";

const fleet = new FleetRig();
let web: ReturnType<typeof spawn> | null = null;
let stopping: Promise<void> | null = null;

function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    if (web && web.exitCode === null) {
      const exited = new Promise((r) => web!.once("exit", r));
      web.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    await fleet.cleanup().catch((err) => console.error(`fleet stack: cleanup failed: ${String(err)}`));
    process.exit(code);
  })();
  return stopping;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));

try {
  const env = {
    CORRAL_ADMIN_USERNAME: ADMIN.username,
    CORRAL_ADMIN_PASSWORD: ADMIN.password,
    // The web's origin, which the daemons trust.
    CORRAL_WEB_PORT: String(FLEET_WEB_PORT),
  };
  await fleet.start(env, { ownSignals: false });
  console.log(`fleet stack: fleet-a on ${fleet.a.url}, fleet-b on ${fleet.b.url}`);
  web = spawn(process.execPath, await bundledArgv(process.cwd(), "web"), {
    env: {
      ...process.env,
      // fleet-a's data directory holds the secret its daemon and the web share (relay-secret.ts).
      CORRAL_DATA_DIR: fleet.a.dataDir,
      CORRAL_DATABASE_URL: fleet.url,
      CORRAL_DAEMON_PORT: String(fleet.a.port),
      CORRAL_WEB_PORT: String(FLEET_WEB_PORT),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  web.once("exit", (code) => {
    if (!stopping) console.error(`fleet stack: the web exited (${code})`);
    void stop(1);
  });
} catch (err) {
  console.error(`fleet stack: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}
