// UML 7.2 can miss the SIGIO that tells it its console's pty has room again (seen in
// bench:console, raw and through Corral; the host seems to signal before the pty polls
// writable, and UML looks only when signalled). A kernel that printed until the pty was
// full then waits for good, printing nothing, until some other signal comes — a keystroke,
// or a spare SIGIO. Holding a busy console (output-batch.ts) makes a full pty likelier, and
// even without holding, a loaded host may leave the pty unread long enough to fill.

/** A busy console silent this long gets a SIGIO (a spare one is harmless to UML). */
export const STALL_QUIET_MS = 40;
/** At most this many SIGIOs after one stretch of output, each after twice the last wait. */
export const STALL_MAX_NUDGES = 3;
/**
 * Output since the last silence below this cannot have filled the pty (its buffer takes
 * about 20 KB of a kernel's small writes), so a console that only echoed a key or printed a
 * short answer is never signalled.
 */
export const STALL_BUSY_CHARS = 2048;

/**
 * Watches one kernel's console for a stall: after a stretch of at least STALL_BUSY_CHARS,
 * silence for STALL_QUIET_MS sends `wake`, then again after 2× and 4× that while silence
 * lasts. Output ends the stretch's nudges and starts a new one. One timer at most, armed
 * only while a console is busy; told of output once per batch, not per piece.
 */
export class StallWatch {
  private chars = 0;
  private charsAtArm = 0;
  private nudges = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly wake: () => void,
    private readonly opts = { quietMs: STALL_QUIET_MS, maxNudges: STALL_MAX_NUDGES, busyChars: STALL_BUSY_CHARS },
  ) {}

  /** The console printed `chars` characters (a batch); true if it had been woken (it was stalled, or slow). */
  seen(chars: number): boolean {
    const woken = this.nudges > 0 && this.timer !== null;
    this.chars += chars;
    this.nudges = 0;
    if (this.timer === null && this.chars >= this.opts.busyChars) this.arm(this.opts.quietMs);
    return woken;
  }

  /** The console is gone. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(ms: number): void {
    this.charsAtArm = this.chars;
    this.timer = setTimeout(() => this.check(), ms);
  }

  private check(): void {
    this.timer = null;
    if (this.chars !== this.charsAtArm) return this.arm(this.opts.quietMs); // still printing
    if (this.nudges >= this.opts.maxNudges) {
      this.chars = 0; // silent after every nudge: done printing (or beyond a signal's help)
      return;
    }
    this.nudges++;
    this.wake();
    this.arm(this.opts.quietMs * 2 ** this.nudges);
  }
}
