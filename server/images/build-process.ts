import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import { toolEnv } from "./debian-tree";

export class BuildCancelled extends Error {
  constructor() {
    super("The build was cancelled.");
  }
}

/**
 * Runs one build step (argv, never a shell string) in its own process group, handing each
 * output line to `onLine`. Aborting `signal` ends the whole group: debootstrap's children
 * (dpkg, maintainer scripts in the chroot) go with it.
 */
export function runStep(
  cmd: string,
  args: string[],
  { onLine, signal, env = {} }: { onLine: (line: string) => void; signal: AbortSignal; env?: Record<string, string> },
): Promise<void> {
  if (signal.aborted) return Promise.reject(new BuildCancelled());
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: toolEnv({ DEBIAN_FRONTEND: "noninteractive", ...env }),
    });
    let pending = "";
    const take = (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const l of lines) onLine(l.replace(/\r$/, ""));
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {}
    };
    const onAbort = () => {
      kill("SIGTERM");
      killTimer = setTimeout(() => kill("SIGKILL"), 5000);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => reject(new Error(`${cmd} could not be started: ${err.message}`)));
    child.on("close", (code, sig) => {
      signal.removeEventListener("abort", onAbort);
      clearTimeout(killTimer);
      if (pending) onLine(pending);
      if (signal.aborted) return reject(new BuildCancelled());
      if (code === 0) return resolve();
      reject(new Error(`${cmd} failed (${sig ? `signal ${sig}` : `exit ${code}`})`));
    });
  });
}

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo). */
export function mountsUnder(dir: string): string[] {
  const info = fs.readFileSync("/proc/self/mountinfo", "utf8");
  const points = info
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_m, o) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(dir + "/"));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * Unmounts whatever debootstrap left mounted in a staging tree (/proc, /sys, a bind of
 * /dev when it runs in a container) and says what is still mounted. Removing a tree with
 * a bind mount of the host's /dev inside it would delete the host's device nodes, so a
 * caller must not remove `dir` unless this returns an empty list.
 */
export function unmountUnder(dir: string): string[] {
  for (const point of mountsUnder(dir)) {
    for (const args of [[point], ["-l", point]]) {
      try {
        execFileSync("umount", args, { stdio: "ignore", env: toolEnv() });
        break;
      } catch {}
    }
  }
  return mountsUnder(dir);
}

/** Removes a staging tree once nothing is mounted inside it; false when something still is. */
export function removeStaging(dir: string): boolean {
  if (!fs.existsSync(dir)) return true;
  if (unmountUnder(dir).length) return false;
  fs.rmSync(dir, { recursive: true, force: true });
  return true;
}
