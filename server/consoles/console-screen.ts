import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";

const { Terminal } = headless;
const { SerializeAddon } = serialize;

const SCROLLBACK = 1000;
// Output is handed to xterm a batch at a time rather than write by write: xterm's cost per
// write (its queue, a timer, events) is paid once per batch. A batch waits at most FEED_MS
// or until FEED_CHARS are held, and anything that reads the screen feeds it first.
export const FEED_CHARS = 64 * 1024;
export const FEED_MS = 50;

/**
 * The current screen of one guest's console, kept by a headless xterm so a viewer who
 * arrives late gets exactly what an attached viewer sees — not a replay of raw bytes.
 */
export class ConsoleScreen {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  private pending: string[] = [];
  private pendingChars = 0;
  private feedTimer: ReturnType<typeof setTimeout> | null = null;
  /** The size asked last; xterm takes it once what came before is parsed. */
  private wanted: { cols: number; rows: number };

  constructor(cols: number, rows: number) {
    this.term = new Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true });
    this.wanted = { cols, rows };
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
  }

  write(data: string): void {
    this.pending.push(data);
    this.pendingChars += data.length;
    if (this.pendingChars >= FEED_CHARS) this.feed();
    else this.feedTimer ??= setTimeout(() => this.feed(), FEED_MS);
  }

  /** Hands what is held to xterm, in order: before a resize, a read or a snapshot. */
  private feed(): void {
    if (this.feedTimer) clearTimeout(this.feedTimer);
    this.feedTimer = null;
    if (!this.pending.length) return;
    const data = this.pending.length === 1 ? this.pending[0] : this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    this.term.write(data);
  }

  /**
   * Takes effect in the stream's order: output written before the resize is parsed at the
   * old size even while it is still held or queued in xterm (which parses later).
   */
  resize(cols: number, rows: number): void {
    this.feed();
    this.wanted = { cols, rows };
    this.term.write("", () => this.term.resize(cols, rows));
  }

  /** Whether the cursor sits at the start of a line (as far as parsing has got). */
  atLineStart(): boolean {
    this.feed();
    return this.term.buffer.active.cursorX === 0;
  }

  get size(): { cols: number; rows: number } {
    return { ...this.wanted };
  }

  /**
   * Resolves with the serialized screen once everything written before this call has been
   * parsed (xterm parses asynchronously). Data written after the call is not included.
   */
  snapshot(): Promise<string> {
    this.feed();
    return new Promise((resolve) => {
      this.term.write("", () => resolve(this.serializer.serialize({ scrollback: SCROLLBACK })));
    });
  }

  dispose(): void {
    if (this.feedTimer) clearTimeout(this.feedTimer);
    this.feedTimer = null;
    this.pending = [];
    this.term.dispose();
  }
}
