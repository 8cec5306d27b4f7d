import type { EventBus } from "../events";
import { logger } from "../log";

const log = logger("admission");

export interface AdmissionOptions {
  /** How many guests may be booting at once. */
  slots: number;
  /** A boot that has not come up in this long stops holding back the queue. */
  holdMs: number;
}

/**
 * The pace of boots: starts are accepted at once and queued; at most `slots` guests boot at
 * a time, in the order they were started. A booting kernel is the host's heaviest work, and
 * a storm of them all at once makes every one slow (and the daemon's answers with them), so
 * the next guest is admitted when one comes up (its state leaves "booting": running, or
 * ended), or after `holdMs` for a boot that never reports ready.
 *
 * Invariant: an id is in at most one of `waiting` and `booting`.
 */
export class BootAdmission {
  private readonly waiting: string[] = [];
  private readonly booting = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly options: AdmissionOptions,
    bus: EventBus,
    /** Boots a queued guest; false if it was not queued any more. */
    private readonly admit: (guestId: string) => Promise<boolean>,
  ) {
    bus.on("guest:state", (e) => {
      if (e.state !== "booting") this.release(e.id);
    });
    bus.on("guest:deleted", (e) => this.withdraw(e.id));
  }

  get queued(): number {
    return this.waiting.length;
  }

  enqueue(guestId: string): void {
    if (this.waiting.includes(guestId) || this.booting.has(guestId)) return;
    this.waiting.push(guestId);
    this.pump();
  }

  /** A guest already booting (adopted after a daemon restart) holds a place like one admitted. */
  occupy(guestId: string): void {
    this.withdraw(guestId);
    if (!this.booting.has(guestId)) this.booting.set(guestId, this.holdTimer(guestId));
  }

  /** Takes a guest out of the queue (it was stopped before its turn). */
  withdraw(guestId: string): void {
    const at = this.waiting.indexOf(guestId);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  private release(guestId: string): void {
    const timer = this.booting.get(guestId);
    if (!timer) return;
    clearTimeout(timer);
    this.booting.delete(guestId);
    this.pump();
  }

  private holdTimer(guestId: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.release(guestId), this.options.holdMs);
    timer.unref();
    return timer;
  }

  private pump(): void {
    while (this.booting.size < this.options.slots && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.booting.set(id, this.holdTimer(id));
      // The guest's own state events release its place once it is up or gone; a guest no
      // longer queued, or a failure, may have announced nothing to release it by.
      this.admit(id).then(
        (booted) => booted || this.release(id),
        (err) => {
          log.warn("a queued guest could not boot", { id, err: String(err) });
          this.release(id);
        },
      );
    }
  }
}
