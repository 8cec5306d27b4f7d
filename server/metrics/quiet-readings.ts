import type { GuestSelfReport } from "../drivers/guest-driver";

/** The costly part of a guest's reading: its host memory (a stat and a statm) and its own report (mconsole). */
export interface CostlyReading {
  hostMemKiB: number;
  report: GuestSelfReport;
}

interface Kept extends CostlyReading {
  pid: number;
  /** The guest's CPU, in clock ticks, when the reading was taken (before it was asked). */
  ticks: number;
  /** The read (a count of `next` calls) it was taken in. */
  read: number;
}

/**
 * Keeps each guest's last costly reading for ticks in which it cannot have changed much.
 * Memory is only touched and load only made by running code: a guest whose processes used
 * at most `quietTicks` of CPU since the reading was taken is treated as holding still and
 * the reading is used again; any more and it is read afresh on this tick. Asking a guest
 * (mconsole) wakes it and costs both the guest and the daemon CPU on every tick, for
 * hundreds of idle guests that report the same figures each time.
 *
 * Hazards: the CPU compared is counted from before the reading was asked, so it includes
 * the guest answering (about a millisecond): `quietTicks` must stay above that, or no
 * guest would ever count as quiet. A change made with less CPU than `quietTicks` (or host
 * memory the host itself took back, by swapping) shows at the latest `maxAge` reads later.
 * Only a whole reading (the guest answered) is kept: a booting, stopping or silent guest is
 * asked on every tick, and a new pid (the guest restarted) is never given an old reading.
 */
export class QuietReadings {
  private readonly kept = new Map<string, Kept>();
  private reads = 0;

  constructor(
    /** Reads a kept reading may serve, the one it was taken in included. */
    private readonly maxAge = 6,
    /** CPU, in clock ticks, a guest may use and still count as quiet. */
    private readonly quietTicks = 2,
  ) {}

  /** Starts a new read (a tick). */
  next(): void {
    this.reads++;
  }

  /** The kept reading if the guest has held still since it was taken; null: read it afresh. */
  reuse(id: string, pid: number, ticks: number): CostlyReading | null {
    const k = this.kept.get(id);
    if (!k || k.pid !== pid || this.reads - k.read >= this.maxAge) return null;
    const used = ticks - k.ticks;
    return used >= 0 && used <= this.quietTicks ? { hostMemKiB: k.hostMemKiB, report: k.report } : null;
  }

  /** Keeps a fresh reading (a guest that gave no report is forgotten: it is asked each time). */
  keep(id: string, pid: number, ticks: number, hostMemKiB: number, report: GuestSelfReport | null): void {
    if (report) this.kept.set(id, { pid, ticks, read: this.reads, hostMemKiB, report });
    else this.kept.delete(id);
  }

  /** Forgets guests no longer sampled. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.kept.keys()) if (!ids.has(id)) this.kept.delete(id);
  }
}
