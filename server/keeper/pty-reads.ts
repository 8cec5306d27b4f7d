/** Why a kernel's pty is not being read: a batch window holds it, or the daemon is behind. */
export type PauseReason = "held" | "daemon";

/**
 * The pty is read unless someone has stopped it, and each reason is lifted on its own: the
 * daemon catching up never ends a batch window's hold early, nor a window's end the daemon's.
 */
export class PtyReads {
  private readonly pausedBy = new Set<PauseReason>();

  constructor(private readonly pty: () => { pause(): void; resume(): void }) {}

  set(why: PauseReason, paused: boolean): void {
    const before = this.pausedBy.size > 0;
    if (paused) this.pausedBy.add(why);
    else this.pausedBy.delete(why);
    const after = this.pausedBy.size > 0;
    if (after && !before) this.pty().pause();
    else if (before && !after) this.pty().resume();
  }
}

/**
 * UML 7.2 may miss the SIGIO that says its console has room again and then waits for good
 * (bench/kernel-nudge.ts); a spare one is harmless to it. Only for UML kernels: a
 * container's lxc-start would die of it.
 */
export function nudgeKernel(pid: number): void {
  try {
    process.kill(pid, "SIGIO");
  } catch {
    // gone meanwhile: its exit event follows
  }
}
