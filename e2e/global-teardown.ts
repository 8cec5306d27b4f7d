import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Guests outlive the daemon by design, so Playwright stopping the daemon does not stop
 * them: end the console keeper of this run (it kills its kernels on SIGTERM), then remove
 * the run's data.
 */
export default async function globalTeardown(): Promise<void> {
  const runDir = process.env.CORRAL_E2E_RUN_DIR;
  if (runDir?.includes("corral-e2e-run-")) {
    try {
      const pid = Number(fs.readFileSync(path.join(runDir, "keeper.pid"), "utf8"));
      process.kill(pid, "SIGTERM");
      for (let i = 0; i < 50; i++) {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch {
      // no keeper left
    }
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  const dataDir = process.env.CORRAL_E2E_DATA_DIR;
  if (dataDir?.includes("corral-e2e-") && !process.env.CORRAL_E2E_KEEP) {
    // The daemon may still run (Playwright stops it after this): its context guests' image
    // mounts (read-only loop mounts in the data directory) go first, or removing fails.
    const mounts = fs
      .readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .map((l) => l.split(" ")[4]);
    for (const point of mounts.filter((p) => p?.startsWith(`${dataDir}/`))) {
      try {
        execFileSync("umount", ["-l", point]);
      } catch {
        // gone meanwhile
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
