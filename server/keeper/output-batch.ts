// UML writes its console a few bytes per write, so a busy console arrives as thousands of
// tiny pieces a second; everything downstream (the boot log, the console watcher, the line
// to the daemon, the daemon's screen and ring, every viewer's socket) pays per piece.
// OutputBatch turns a busy console's pieces into batches without delaying a quiet one.

/**
 * How long a busy console's output gathers before it goes on as one batch: the first
 * window is short (a command's output is not held back), each busy window after it twice
 * as long up to the last (a long stream goes on in about 30 batches a second).
 */
export const BATCH_WINDOWS_MS = { first: 2, last: 32 };
/** A batch this large goes on at once, window or not. */
export const BATCH_MAX_CHARS = 64 * 1024;

/**
 * A busy console need not even be read piece by piece: while a window gathers, the reader
 * may stop reading the pty (`hold`), so the kernel's pieces wait in the pty and come as one
 * read when the window ends — one wake-up per window instead of one per piece. A window is
 * held only while the console prints less than HOLD_MAX_CHARS a window (the pty's buffer
 * takes about 20 KB of a kernel's 3-byte writes before the kernel must wait for room, and
 * UML 7.2 may miss the SIGIO that says room came back).
 */
export const HOLD_MAX_CHARS = 8 * 1024;
/** A read this large after a held window may have left more in the pty (a read gives ≤ 4 KiB). */
export const FULL_READ_CHARS = 4000;
/**
 * Hazard: a window is held only once reads are small again (the pty is drained). Holding
 * right after a held window's first read — about 3.5 KiB, all one read takes — left the
 * rest in the pty, so each window read one piece while the pty filled: the kernel waited
 * for room (throughput fell to half) and, missing the SIGIO that said room came back,
 * stalled (stall-watch.ts).
 */
export const HOLD_READ_CHARS = 2048;

export interface ReadHold {
  pause(): void;
  resume(): void;
  /** The pty may have filled while held: wake a kernel that waits for room it was not told of. */
  nudge?(): void;
}

/**
 * Invariants: what is pushed is delivered in order, each character once, nothing held
 * longer than one window (at most `windows.last` ms). The first piece after a quiet window is delivered at once (a
 * keystroke's echo never waits for a timer); so is the first piece after input was sent,
 * even in a busy stream, and a piece that ends in a prompt (a command's output is done).
 * Only what follows within the window is gathered. A held pty is always resumed: by the
 * window's timer, by input sent (its echo is read at once), by close.
 */
export class OutputBatch {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | null = null;
  private echoDue = false;
  private busyWindows = 0;
  private held = false;
  /** When a held window ended with nothing read (its output waits in the pty), else null. */
  private releasedAt: number | null = null;
  /** Characters pushed since the current window was armed. */
  private windowChars = 0;
  /** The size of the last read: small once the pty is drained. */
  private lastRead = 0;

  private readonly windows: { first: number; last: number };
  private readonly maxChars: number;
  private readonly endsBatch: (piece: string) => boolean;
  private readonly hold: ReadHold | null;

  constructor(
    private readonly deliver: (data: string) => void,
    opts: {
      windows?: { first: number; last: number };
      maxChars?: number;
      /** Whether a piece ends what the console has to say for now (a prompt): delivered at once. */
      endsBatch?: (piece: string) => boolean;
      /** Stops and restarts reading the console while a busy window gathers (see above). */
      hold?: ReadHold;
    } = {},
  ) {
    this.windows = opts.windows ?? BATCH_WINDOWS_MS;
    this.maxChars = opts.maxChars ?? BATCH_MAX_CHARS;
    this.endsBatch = opts.endsBatch ?? (() => false);
    this.hold = opts.hold ?? null;
  }

  push(data: string): void {
    if (!data) return;
    this.pending.push(data);
    this.pendingChars += data.length;
    this.windowChars += data.length;
    this.lastRead = data.length;
    const opening = this.timer === null;
    if (opening) {
      // Read at once after a held window: the console is still busy, its window keeps growing.
      const afterHold = this.releasedAt !== null && performance.now() - this.releasedAt <= this.windows.last;
      if (!afterHold) this.busyWindows = 0;
      else if (data.length >= FULL_READ_CHARS) this.hold?.nudge?.();
      this.releasedAt = null;
    }
    if (opening || this.echoDue || this.pendingChars >= this.maxChars || this.endsBatch(data)) {
      this.echoDue = false;
      this.flush();
    }
    // Whatever comes within the window after a delivery waits for the window's end.
    if (this.timer === null) this.arm();
  }

  /** Input went to the console: the next piece it prints is likely its echo, sent at once. */
  inputSent(): void {
    this.echoDue = true;
    this.busyWindows = 0;
    this.release();
  }

  /** Lifts a window's hold: what waits in the pty is read now, and joins the window's batch. */
  readNow(): void {
    this.release();
  }

  /** Delivers whatever is gathered now (before a lifecycle event, say, to keep order). */
  flush(): void {
    if (this.pendingChars === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : this.pending.join("");
    // Cleared before delivering: `deliver` may flush again (re-entrantly) through an event.
    this.pending = [];
    this.pendingChars = 0;
    this.deliver(data);
  }

  /** Delivers what is gathered and stops the timer (the console is gone). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.release();
    this.flush();
  }

  private release(): void {
    if (!this.held) return;
    this.held = false;
    this.hold!.resume();
  }

  /** Opens a window; held if the last read was small (the pty is drained) and the last window's output too. */
  private arm(): void {
    const mayHold = this.lastRead < HOLD_READ_CHARS;
    const ms = Math.min(this.windows.first * 2 ** Math.min(this.busyWindows, 16), this.windows.last);
    if (this.hold && mayHold && !this.held && this.windowChars < HOLD_MAX_CHARS) {
      this.held = true;
      this.hold.pause();
    }
    this.windowChars = 0;
    this.timer = setTimeout(() => {
      this.timer = null;
      const wasHeld = this.held;
      this.release();
      this.busyWindows++;
      if (this.pendingChars === 0) {
        // Held: what the kernel printed meanwhile is read next, and opens the next window.
        if (wasHeld) this.releasedAt = performance.now();
        return;
      }
      this.flush();
      this.arm();
    }, ms);
  }
}
