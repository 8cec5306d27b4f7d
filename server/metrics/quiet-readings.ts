import type { GuestSelfReport } from "../drivers/guest-driver";

interface Kept {
  pid: number;
  report: GuestSelfReport;
  /** The guest's CPU, in clock ticks, when the report was asked for (before it answered). */
  ticks: number;
  /** Host memory the guest held when it was asked, in KiB. */
  hostMemKiB: number;
  /** The read (a count of `next` calls) it was taken in. */
  read: number;
}

/**
 * Keeps each guest's last report of itself (mconsole) for ticks in which it cannot have
 * changed much. Asking a guest wakes it and costs both the guest and the daemon CPU on every
 * tick, for hundreds of idle guests that report the same figures each time. A guest counts
 * as holding still while both hold since its report: its processes used at most
 * `quietTicks` of CPU, and the host memory it holds (read afresh every tick: a stat and a
 * statm) moved by less than `quietKiB`.
 *
 * Memory is the second test because CPU alone missed it: a guest filling 8 MiB of tmpfs can
 * do so in under two clock ticks, and its next samples then paired the new host memory
 * with the old report (seen in CI). Touched guest RAM stays allocated on the host, so any
 * work that touches new pages shows there.
 *
 * Hazards: the CPU compared is counted from before the report was asked, so it includes the
 * guest answering (about a millisecond): `quietTicks` must stay above that, or no guest would
 * ever count as quiet. A change made with little CPU inside pages already touched shows at
 * the latest `maxAge` reads later. Only a whole report is kept: a booting, stopping or silent
 * guest is asked on every tick, and a new pid (the guest restarted) is never given an old one.
 */
export class QuietReadings {
  private readonly kept = new Map<string, Kept>();
  private reads = 0;

  constructor(
    /** Reads a kept report may serve, the one it was taken in included. */
    private readonly maxAge = 6,
    /** CPU, in clock ticks, a guest may use and still count as quiet. */
    private readonly quietTicks = 2,
    /** Host memory, in KiB, a guest's holding may move by and still count as quiet. */
    private readonly quietKiB = 256,
  ) {}

  /** Starts a new read (a tick). */
  next(): void {
    this.reads++;
  }

  /** The kept report if the guest has held still since it was taken; null: ask it afresh. */
  reuse(id: string, pid: number, ticks: number, hostMemKiB: number): GuestSelfReport | null {
    const k = this.kept.get(id);
    if (!k || k.pid !== pid || this.reads - k.read >= this.maxAge) return null;
    const used = ticks - k.ticks;
    if (used < 0 || used > this.quietTicks) return null;
    return Math.abs(hostMemKiB - k.hostMemKiB) < this.quietKiB ? k.report : null;
  }

  /** Keeps a fresh report (a guest that gave none is forgotten: it is asked each time). */
  keep(id: string, pid: number, ticks: number, hostMemKiB: number, report: GuestSelfReport | null): void {
    if (report) this.kept.set(id, { pid, ticks, hostMemKiB, read: this.reads, report });
    else this.kept.delete(id);
  }

  /** Forgets a guest's report (it is booting or stopping: asked again once it runs). */
  forget(id: string): void {
    this.kept.delete(id);
  }

  /** Forgets guests no longer sampled. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.kept.keys()) if (!ids.has(id)) this.kept.delete(id);
  }
}
