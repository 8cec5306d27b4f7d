// The physical limit of a boot: linux.uml spawned directly on a pty, timed from spawn until
// the console shows the shell prompt. No daemon, no network, no logs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pty from "node-pty";
import { ConsoleWatcher } from "../server/boots/console-watcher";
import { buildKernelArgv } from "../server/uml/argv";
import { killGroup } from "../server/uml/kernel-process";
import { onCleanup } from "./guest-storms";

/** Catches a hang only: a loaded machine may take many times longer than a quiet one. */
const BOOT_DEADLINE_MS = 120_000;

export async function rawBoot(binary: string, image: string, dir: string, i: number, memoryMiB = 64): Promise<number> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bench-"));
  const argv = buildKernelArgv({
    umid: `raw${i}`,
    runDir,
    cowPath: path.join(dir, `raw${i}.cow`),
    imagePath: image,
    memoryMiB,
    notifySocket: path.join(runDir, "notify"),
    extraArgs: [],
  }).filter((a) => !a.startsWith("mconsole=notify:"));
  const t0 = performance.now();
  const term = pty.spawn(binary, argv, { cols: 80, rows: 24, env: { PATH: process.env.PATH, TMPDIR: "/dev/shm" } });
  let ended = false;
  const exited = new Promise((r) => term.onExit(r)).then(() => (ended = true));
  const end = async () => {
    if (!ended) killGroup(term.pid, "SIGKILL");
    await exited;
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  onCleanup(end); // an interrupted bench leaves no kernel behind
  const watcher = new ConsoleWatcher();
  const ms = await new Promise<number>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`raw kernel ${i}: no prompt in ${BOOT_DEADLINE_MS / 1000} s`)),
      BOOT_DEADLINE_MS,
    );
    term.onData((d) => {
      if (watcher.scan(d).some((s) => s.kind === "prompt")) {
        clearTimeout(deadline);
        resolve(performance.now() - t0);
      }
    });
  }).finally(end);
  return ms;
}
