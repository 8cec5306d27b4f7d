// Every console message costs each viewer's socket and browser about the same whatever its
// size (a wake-up, a frame, a parse, an ack now and then), so ten viewers of a flood pay ten
// times per message. The keeper already batches a busy console (about 30 batches a second at
// most, server/keeper/output-batch.ts); while a console stays busy the daemon gathers those
// batches into fewer, larger messages. A quiet console's output is never held.
import { PROMPT } from "../boots/console-watcher";

/**
 * How long a busy console's output gathers before it goes to its viewers: after a quiet
 * spell it goes at once (in the next turn of the event loop); each message that follows the
 * last within `last` ms waits twice as long as the one before, from `first` up to `last`
 * after the last one went (a flood reaches viewers ~10 times a second after ~0.2 s).
 */
export const COALESCE_MS = { first: 4, last: 100 };

/**
 * When a console's output goes out: `send` runs once per batch, with everything queued
 * since the last. Invariants: output after a quiet spell of `last` ms, output within `last`
 * ms after input (its echo, a redraw) and output that ends at a prompt (a command's output
 * is done) go in the next turn, as before any pacing, and windows start small again after
 * them; nothing waits longer than `last` ms; nothing is left queued after `close`.
 */
export class FlushPace {
  private queued = false;
  private timer: NodeJS.Timeout | null = null;
  private lastAt = -Infinity;
  private streak = 0;
  /** The output queued ends at a prompt: it goes at once. */
  private urgent = false;
  /** When input last went to the console. */
  private inputAt = -Infinity;
  /** The queued batch follows the last within `last` ms: decided when queued (a timer may fire late). */
  private busy = false;
  /** The output's last characters, to tell when it ends at a prompt. */
  private recent = "";

  constructor(
    private readonly send: () => void,
    private readonly windows = COALESCE_MS,
  ) {}

  /** Output was added to the console. */
  output(data: string): void {
    this.recent = (this.recent + data.slice(-64)).slice(-64);
    if (PROMPT.test(this.recent)) this.urgent = true;
    this.queue();
  }

  /**
   * Input went to the console: what it prints for the next `last` ms (the echo, a redraw)
   * goes at once. Hazard: marking only the next output urgent let the tail of the previous
   * key's echo, or a flood's batch, take that turn, and the echo itself waited a window.
   */
  inputSent(): void {
    this.inputAt = performance.now();
  }

  /** Something is waiting to go out. */
  queue(): void {
    const now = performance.now();
    const wait = this.wait(now);
    if (this.timer && wait === 0) {
      // Gathering, and what came now may not wait: it all goes in the next turn.
      clearTimeout(this.timer);
      this.timer = null;
      this.queued = false;
    }
    if (this.queued) return;
    this.queued = true;
    this.busy = !this.urgent && !this.typing(now) && now - this.lastAt < this.windows.last;
    if (wait > 0) this.timer = setTimeout(() => this.run(), wait);
    else setImmediate(() => this.run());
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queued = false;
  }

  private wait(now: number): number {
    const since = now - this.lastAt;
    if (this.urgent || this.typing(now) || since >= this.windows.last) return 0;
    const window = Math.min(this.windows.first * 2 ** Math.min(this.streak, 16), this.windows.last);
    return Math.max(0, window - since);
  }

  private typing(now: number): boolean {
    return now - this.inputAt < this.windows.last;
  }

  private run(): void {
    if (!this.queued) return; // closed since
    this.streak = this.busy && !this.urgent ? this.streak + 1 : 0;
    this.lastAt = performance.now();
    this.urgent = false;
    this.queued = false;
    this.timer = null;
    this.send();
  }
}
