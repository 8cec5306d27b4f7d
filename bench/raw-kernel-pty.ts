// The benches' physical baseline: linux.uml on a plain pty, no daemon, no keeper.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pty from "node-pty";
import { buildKernelArgv } from "../server/uml/argv";

/** Boots `image` (no network, a COW in a fresh temporary folder) on an 80×24 pty. */
export function spawnRawKernel(image: string, tag: string, memoryMiB = 64): { term: pty.IPty; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `corral-bench-${tag}-`));
  const argv = buildKernelArgv({
    umid: tag,
    runDir: dir,
    cowPath: path.join(dir, "c.cow"),
    imagePath: image,
    memoryMiB,
    notifySocket: path.join(dir, "n"),
    extraArgs: [],
  }).filter((a) => !a.startsWith("mconsole=notify:"));
  const term = pty.spawn(path.resolve("vendor/kernel/linux.uml"), argv, {
    cols: 80,
    rows: 24,
    env: { PATH: process.env.PATH, TMPDIR: "/dev/shm" },
  });
  return { term, dir };
}
