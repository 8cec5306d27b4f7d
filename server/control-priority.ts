import fs from "node:fs";
import os from "node:os";

/**
 * How much sooner the daemon and the console keeper get a CPU than guests' kernels when both
 * want one (`CORRAL_CONTROL_NICE`, −20…0; checked with the daemon's settings, inherited by
 * the keeper). The control plane uses little CPU, but amid a boot storm it waits for it: each
 * kernel leads a session, and with the scheduler's autogroups (Linux's default on hosts whose
 * processes sit in the root cgroup) each session weighs as much as the daemon's whole session.
 * Two hundred booting kernels at nice 5 outweighed the daemon about 65 to 1, and a start's
 * 10–15 ms of CPU took 30–40 ms to get.
 */
export const CONTROL_NICE = Number(process.env.CORRAL_CONTROL_NICE ?? -5);

export interface Raised {
  /** The process's own nice value now. */
  nice: number;
  /** Its session's autogroup nice value now; null where there are no autogroups. */
  autogroup: number | null;
}

/**
 * Raises this process and its session's autogroup to `nice`, as far as it is allowed to:
 * a negative value needs CAP_SYS_NICE (root has it); without it both stay as they were.
 * Never lowers either. Hazard: an autogroup is a whole session's. The keeper leads its own;
 * the daemon shares one with what started it — under `npm start` that is Corral's own
 * processes (scripts/serve.ts, the web server), run by hand from a shell it is the shell's
 * too, under a service manager's cgroup there are no autogroups and the process's own nice
 * value is what counts.
 */
export function raiseControlPriority(nice = CONTROL_NICE): Raised {
  if (os.getPriority() > nice) {
    try {
      os.setPriority(nice);
    } catch {
      // not allowed: the process keeps its nice value
    }
  }
  const current = autogroupNice();
  if (current !== null && current > nice) {
    try {
      fs.writeFileSync("/proc/self/autogroup", String(nice));
    } catch {
      // not allowed (or no autogroups): the session keeps its weight
    }
  }
  return { nice: os.getPriority(), autogroup: autogroupNice() };
}

/** The nice value of this process's autogroup ("/autogroup-22182 nice 0"), or null. */
function autogroupNice(): number | null {
  try {
    const m = / nice (-?\d+)/.exec(fs.readFileSync("/proc/self/autogroup", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
