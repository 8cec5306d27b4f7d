import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";

const { Terminal } = headless;
const { SerializeAddon } = serialize;
type Term = InstanceType<typeof Terminal>;

const SCROLLBACK = 1000;
// Output is handed to xterm a batch at a time rather than write by write: xterm's cost per
// write (its queue, a timer, events) is paid once per batch. A batch waits at most FEED_MS
// or until FEED_CHARS are held, and anything that reads the screen feeds it first.
export const FEED_CHARS = 64 * 1024;
export const FEED_MS = 50;
/**
 * A screen neither written nor read for this long rests: it is kept as its serialization
 * (a few KiB) and its xterm disposed, which holds ~170 KiB whatever it shows — most of the
 * daemon's memory per idle guest. The next write, resize or read rebuilds it from that.
 */
export const REST_MS = 60_000;

/**
 * The current screen of one guest's console, kept by a headless xterm so a viewer who
 * arrives late gets exactly what an attached viewer sees — not a replay of raw bytes.
 */
export class ConsoleScreen {
  private term: Term | null = null;
  private serializer: InstanceType<typeof SerializeAddon> | null = null;
  private pending: string[] = [];
  private pendingChars = 0;
  private feedTimer: ReturnType<typeof setTimeout> | null = null;
  /** The size asked last; xterm takes it once what came before is parsed. */
  private wanted: { cols: number; rows: number };
  /** A resting screen: its serialization, and whether its cursor was at a line's start. */
  private rested: { screen: string; atLineStart: boolean } | null = null;
  /** Until xterm has parsed a restored screen, where its cursor is comes from the rest. */
  private restoring: { atLineStart: boolean } | null = null;
  private usedAt = 0;
  private restTimer: ReturnType<typeof setTimeout> | null = null;
  /** A scroll region is set (DECSTBM): not in a serialization, so such a screen stays awake. */
  private region = false;

  constructor(
    cols: number,
    rows: number,
    private readonly restMs = REST_MS,
  ) {
    this.wanted = { cols, rows };
    this.awake();
  }

  /** Whether the screen is resting (kept serialized, no xterm held). */
  get resting(): boolean {
    return this.rested !== null;
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
    this.awake().write(data);
  }

  /**
   * Takes effect in the stream's order: output written before the resize is parsed at the
   * old size even while it is still held or queued in xterm (which parses later).
   */
  resize(cols: number, rows: number): void {
    this.feed();
    const term = this.awake(); // a resting screen is rebuilt at the size it rested at
    this.wanted = { cols, rows };
    term.write("", () => term.resize(cols, rows));
  }

  /** Whether the cursor sits at the start of a line (as far as parsing has got). */
  atLineStart(): boolean {
    this.feed();
    if (this.rested) return this.rested.atLineStart;
    if (this.restoring) return this.restoring.atLineStart;
    return this.awake().buffer.active.cursorX === 0;
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
    if (this.rested) return Promise.resolve(this.rested.screen);
    const term = this.awake();
    const serializer = this.serializer!;
    return new Promise((resolve) => {
      term.write("", () => resolve(serializer.serialize({ scrollback: SCROLLBACK })));
    });
  }

  dispose(): void {
    if (this.feedTimer) clearTimeout(this.feedTimer);
    if (this.restTimer) clearTimeout(this.restTimer);
    this.feedTimer = this.restTimer = null;
    this.pending = [];
    this.term?.dispose();
    this.term = this.serializer = null;
    this.rested = null;
  }

  /** The xterm, rebuilt from the rest if the screen was resting; marks the screen used. */
  private awake(): Term {
    this.usedAt = performance.now();
    this.restTimer ??= setTimeout(() => this.rest(), this.restMs).unref();
    if (this.term) return this.term;
    const term = new Terminal({ ...this.wanted, scrollback: SCROLLBACK, allowProposedApi: true });
    this.serializer = new SerializeAddon();
    term.loadAddon(this.serializer);
    // Returning false lets xterm apply it too. `CSI r` with no or full bounds clears it.
    term.parser.registerCsiHandler({ final: "r" }, (params) => {
      const [top = 0, bottom = 0] = params.map((p) => (typeof p === "number" ? p : 0));
      this.region = top > 1 || (bottom > 0 && bottom < term.rows);
      return false;
    });
    this.term = term;
    if (this.rested) {
      const restoring = { atLineStart: this.rested.atLineStart };
      this.restoring = restoring;
      term.write(this.rested.screen, () => {
        if (this.restoring === restoring) this.restoring = null;
      });
      this.rested = null;
    }
    return term;
  }

  /**
   * Serializes and disposes the xterm if nothing used the screen for `restMs`, once what it
   * was given is parsed. Hazard: a serialization holds the buffers, cursor and modes but not a
   * scroll region (nor a character set), so output after a rebuild would draw differently:
   * a screen with a region set, or in the alternate buffer (where full-screen programs set
   * them), stays awake.
   */
  private rest(): void {
    this.restTimer = null;
    const term = this.term;
    if (!term) return;
    const idle = performance.now() - this.usedAt;
    if (idle < this.restMs || this.pending.length) {
      // Output held for xterm is fed (and the screen used) within FEED_MS.
      this.restTimer = setTimeout(() => this.rest(), Math.max(FEED_MS, this.restMs - idle)).unref();
      return;
    }
    const usedAt = this.usedAt;
    term.write("", () => {
      if (this.term !== term || this.usedAt !== usedAt || this.pending.length) return; // used since
      if (this.region || term.buffer.active.type === "alternate") {
        this.restTimer ??= setTimeout(() => this.rest(), this.restMs).unref();
        return;
      }
      this.rested = {
        // Hazard: the serializer builds its answer by concatenation, a rope of thousands of
        // pieces that holds ~55 KiB for a 2 KiB screen; a copy is one flat string.
        screen: Buffer.from(this.serializer!.serialize({ scrollback: SCROLLBACK })).toString(),
        atLineStart: term.buffer.active.cursorX === 0,
      };
      term.dispose();
      this.term = this.serializer = null;
    });
  }
}
