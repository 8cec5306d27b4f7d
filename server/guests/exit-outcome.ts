import os from "node:os";
import type { BootOutcome } from "../../lib/shared/protocol";

/** `boot-silent`: not ready and the console quiet for the boot timeout; `boot-timeout`: not ready within the boot limit. */
export type KillReason = "force-off" | "stop-timeout" | "boot-silent" | "boot-timeout";

export interface ExitFacts {
  exitCode: number;
  signal: number;
  killReason: KillReason | null;
  /** A person asked for a reboot: the guest was stopped so that it can start again. */
  rebootRequested: boolean;
  panic: string | null;
  consoleSaid: "halted" | "powered-off" | null;
  /** Context guests: processes its memory cgroup OOM-killed during the boot. */
  oomKills?: number;
  bootTimeoutS: number;
  bootLimitS: number;
  stopTimeoutS: number;
}

const SIGNAL_NAMES = new Map(Object.entries(os.constants.signals).map(([name, n]) => [n, name]));

/** How a kernel's exit reads in the boot history. The first fact that explains it wins. */
export function classifyExit(f: ExitFacts): { outcome: BootOutcome; detail: string | null } {
  if (f.panic !== null) return { outcome: "panicked", detail: `Kernel panic: ${f.panic}` };
  switch (f.killReason) {
    case "boot-silent":
      return {
        outcome: "boot-timeout",
        detail: `Not ready, and its console silent for ${f.bootTimeoutS} s; the kernel was killed. The boot log shows where it stopped.`,
      };
    case "boot-timeout":
      return {
        outcome: "boot-timeout",
        detail: `Not ready within ${f.bootLimitS} s although still printing; the kernel was killed. The boot log shows what it was doing.`,
      };
    case "force-off":
      return { outcome: "killed", detail: "Forced off." };
    case "stop-timeout":
      return {
        outcome: "killed",
        detail: `Did not power off within ${f.stopTimeoutS} s of the stop request; forced off.`,
      };
  }
  if (f.exitCode === 0 && f.signal === 0) {
    if (f.rebootRequested) return { outcome: "rebooted", detail: "Powered off to reboot." };
    return f.consoleSaid === "halted"
      ? { outcome: "halted", detail: "The guest halted." }
      : { outcome: "powered-off", detail: null };
  }
  if (f.oomKills && f.signal === os.constants.signals.SIGKILL) {
    return {
      outcome: "crashed",
      detail: "Out of memory: the guest used all the memory it is given and its init was killed. Give it more memory.",
    };
  }
  const how = f.signal
    ? `was killed by ${SIGNAL_NAMES.get(f.signal) ?? `signal ${f.signal}`}`
    : `exited with code ${f.exitCode}`;
  return { outcome: "crashed", detail: `The kernel process ${how}.` };
}
