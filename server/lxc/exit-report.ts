import fs from "node:fs";
import os from "node:os";

/** How a container's init ended, as LXC's INFO log and the stop hook recorded it. */
export interface ContainerExit {
  /** Signal that ended init (0: it exited by itself, see exitCode). */
  signal: number;
  exitCode: number;
  /** Processes the guest's memory cgroup OOM-killed during the boot. */
  oomKills: number;
  /** init ended on SIGINT: busybox and systemd power off (or halt) that way in a pid namespace. */
  poweredOff: boolean;
  /** init ended on SIGHUP: the guest rebooted itself and the post-stop hook could not restart it, so it stopped. */
  rebooted: boolean;
}

const SIGNALS = os.constants.signals as Record<string, number>;

/**
 * Reads LXC's line `Child <PID> ended on signal Interrupt(2)` / `ended on error (N)` (lxc-start
 * itself exits 0 whatever happened) and the stop hook's `oom_kill N`. Null: no line, so init
 * never ran (the start failed: lxc-start's own exit status says how).
 */
export function parseContainerExit(log: string, oomRecord: string): ContainerExit | null {
  const oomKills = Number(/oom_kill (\d+)/.exec(oomRecord)?.[1] ?? 0);
  let last: RegExpExecArray | null = null;
  for (const m of log.matchAll(/Child <\d+> ended on (?:signal [^(\n]*\((\d+)\)|error \((\d+)\))/g)) last = m;
  if (!last) return null;
  const signal = last[1] ? Number(last[1]) : 0;
  const exitCode = last[2] ? Number(last[2]) : 0;
  return {
    signal,
    exitCode,
    oomKills,
    poweredOff: signal === SIGNALS.SIGINT,
    rebooted: signal === SIGNALS.SIGHUP,
  };
}

export async function readContainerExit(lxcLog: string, oomRecord: string): Promise<ContainerExit | null> {
  const read = (file: string) => fs.promises.readFile(file, "utf8").catch(() => "");
  return parseContainerExit(await read(lxcLog), await read(oomRecord));
}
