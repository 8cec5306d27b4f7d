// UML 7.2 on a loaded host now and then misses the SIGIO that tells it its console's pty
// is ready (input typed, room to write): the console then stalls — raw or through Corral
// alike — until some other signal arrives, for seconds or for good. A bench that waited on
// such a stall would measure the host, not the console: while `busy()`, a kernel whose
// output has not grown for STALL_MS gets the SIGIO it missed, and the bench counts it.
export const STALL_MS = 1000;

export function nudgeWhenStalled(pid: () => number | null, received: () => number, busy: () => boolean) {
  let last = received();
  let since = performance.now();
  let nudges = 0;
  const timer = setInterval(() => {
    const now = received();
    if (now !== last || !busy()) {
      last = now;
      since = performance.now();
      return;
    }
    if (performance.now() - since < STALL_MS) return;
    const p = pid();
    if (p === null) return;
    try {
      process.kill(p, "SIGIO");
      nudges++;
    } catch {}
    since = performance.now();
  }, 100);
  timer.unref();
  return {
    /** How many times the kernel had to be woken since the last call. */
    take(): number {
      const n = nudges;
      nudges = 0;
      return n;
    },
    stop: () => clearInterval(timer),
  };
}
