import type { GuestSelfReport } from "../drivers/guest-driver";

/** The costly part of a guest's reading: its own report (mconsole) and its host memory (statm). */
export interface CostlyReading {
  hostMemKiB: number;
  report: GuestSelfReport;
}

interface Kept extends CostlyReading {
  pid: number;
  /** Guest RAM the kernel had touched when the reading was taken, in KiB. */
  ramKiB: number;
  /** The guest's CPU, in clock ticks, when the report was asked for (before it answered). */
  ticks: number;
  /** The read (a count of `next` calls) it was taken in. */
  read: number;
}

/**
 * Keeps each guest's last costly reading for ticks in which it cannot have changed much.
 * Asking a guest wakes it and costs both the guest and the daemon CPU on every tick, for
 * hundreds of idle guests that report the same figures each time. A guest counts as holding
 * still while both hold since its reading: its processes used at most `quietTicks` of CPU,
 * and the guest RAM its kernel has touched (read afresh every tick: one stat) moved by less
 * than `quietKiB`; a kept reading's host memory follows that RAM.
 *
 * RAM is the second test because CPU alone missed it: a guest filling 8 MiB of tmpfs can do
 * so in under two clock ticks, and its next samples then showed the host memory and the
 * report from before (seen in CI). Touched guest RAM stays allocated on the host, so any
 * work that touches new pages shows there.
 *
 * Hazards: the CPU compared is counted from before the reading was asked, so it includes the
 * guest answering (about a millisecond): `quietTicks` must stay above that, or no guest would
 * ever count as quiet. A change made with little CPU inside pages already touched shows at
 * the latest `maxAge` reads later. Only a whole reading (the guest answered) is kept: a
 * booting, stopping or silent guest is asked on every tick, and a new pid (the guest
 * restarted) is never given an old one.
 */
export class QuietReadings {
  private readonly kept = new Map<string, Kept>();
  private reads = 0;

  constructor(
    /** Reads a kept reading may serve, the one it was taken in included. */
    private readonly maxAge = 6,
    /** CPU, in clock ticks, a guest may use and still count as quiet. */
    private readonly quietTicks = 2,
    /** Touched guest RAM, in KiB, that may come or go and the guest still count as quiet. */
    private readonly quietKiB = 256,
  ) {}

  /** Starts a new read (a tick). */
  next(): void {
    this.reads++;
  }

  /** The kept reading if the guest has held still since it was taken; null: read it afresh. */
  reuse(id: string, pid: number, ticks: number, ramKiB: number): CostlyReading | null {
    const k = this.kept.get(id);
    if (!k || k.pid !== pid || this.reads - k.read >= this.maxAge) return null;
    const used = ticks - k.ticks;
    if (used < 0 || used > this.quietTicks || Math.abs(ramKiB - k.ramKiB) >= this.quietKiB) return null;
    return { hostMemKiB: k.hostMemKiB + ramKiB - k.ramKiB, report: k.report };
  }

  /** Keeps a fresh reading (a guest that gave no report is forgotten: it is asked each time). */
  keep(id: string, pid: number, ticks: number, ramKiB: number, reading: CostlyReading | null): void {
    if (reading) this.kept.set(id, { ...reading, pid, ticks, ramKiB, read: this.reads });
    else this.kept.delete(id);
  }

  /** Forgets a guest's reading (it is booting or stopping: read afresh once it runs). */
  forget(id: string): void {
    this.kept.delete(id);
  }

  /** Forgets guests no longer sampled. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.kept.keys()) if (!ids.has(id)) this.kept.delete(id);
  }
}
