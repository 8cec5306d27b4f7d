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
 * Invariants: what is pushed is delivered in order, each character once, nothing held
 * longer than one window (at most `windows.last` ms). The first piece after a quiet window is delivered at once (a
 * keystroke's echo never waits for a timer); so is the first piece after input was sent,
 * even in a busy stream, and a piece that ends in a prompt (a command's output is done).
 * Only what follows within the window is gathered.
 */
export class OutputBatch {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | null = null;
  private echoDue = false;
  private busyWindows = 0;

  private readonly windows: { first: number; last: number };
  private readonly maxChars: number;
  private readonly endsBatch: (piece: string) => boolean;

  constructor(
    private readonly deliver: (data: string) => void,
    opts: {
      windows?: { first: number; last: number };
      maxChars?: number;
      /** Whether a piece ends what the console has to say for now (a prompt): delivered at once. */
      endsBatch?: (piece: string) => boolean;
    } = {},
  ) {
    this.windows = opts.windows ?? BATCH_WINDOWS_MS;
    this.maxChars = opts.maxChars ?? BATCH_MAX_CHARS;
    this.endsBatch = opts.endsBatch ?? (() => false);
  }

  push(data: string): void {
    if (!data) return;
    this.pending.push(data);
    this.pendingChars += data.length;
    if (this.timer === null || this.echoDue || this.pendingChars >= this.maxChars || this.endsBatch(data)) {
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
    this.flush();
  }

  private arm(): void {
    const ms = Math.min(this.windows.first * 2 ** Math.min(this.busyWindows, 16), this.windows.last);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pendingChars === 0) {
        this.busyWindows = 0; // quiet for a whole window: the next piece goes at once
        return;
      }
      this.flush();
      this.busyWindows++;
      this.arm();
    }, ms);
  }
}
