import type { ConsoleDataEvent } from "../../lib/shared/protocol";
import { RING_CHARS, SharedConsole, type ConsoleSink } from "./shared-console";

/** Recent console output of a guest's last boot, to redraw its screen after a restart. */
export type ScreenSeeder = (guestId: string) => Promise<string | null>;

/**
 * The consoles' line to the kernels: the console keeper, which holds every pseudo-terminal.
 * Output arrives numbered by boot; keystrokes and sizes go straight back.
 */
export interface ConsoleLine {
  on(event: "output", listener: (guestId: string, boot: number, data: string) => void): unknown;
  on(event: "attached", listener: (kept: KeptConsole[]) => void): unknown;
  writeConsole(guestId: string, data: string): void;
  resizeConsole(guestId: string, cols: number, rows: number): void;
}

/** A console the keeper kept while no daemon was attached: its size and its recent output. */
export interface KeptConsole {
  guestId: string;
  bootNumber: number;
  cols: number;
  rows: number;
  tail: string;
}

/**
 * Every guest's console, created on first use and dropped when the guest is deleted, wired
 * straight to the keeper: kernel output reaches viewers without passing through the
 * lifecycle, which only says when a kernel runs on a console (`started`, `ended`).
 */
export class ConsoleHub {
  private readonly consoles = new Map<string, SharedConsole>();
  private readonly opening = new Map<string, Promise<SharedConsole>>();

  private broadcast?: (viewerIds: string[], event: ConsoleDataEvent) => void;

  constructor(
    private readonly line: ConsoleLine,
    private readonly seed: ScreenSeeder = async () => null,
    private readonly ringChars = RING_CHARS,
  ) {
    line.on("output", (guestId, boot, data) => {
      const c = this.get(guestId);
      c.newBoot(boot);
      c.output(data);
    });
    // Delivered before any output that followed the keeper's hello: the screen is redrawn
    // from what the keeper remembers, then continues.
    line.on("attached", (kept) => {
      for (const k of kept) {
        const c = this.get(k.guestId);
        c.adoptSize(k.cols, k.rows);
        c.output(k.tail);
        c.connect(this.sinkOf(k.guestId), k.bootNumber, { announce: false });
      }
    });
  }

  /** How consoles reach many viewers at once; set by the realtime layer (viewer ids are socket ids). */
  setBroadcast(broadcast: (viewerIds: string[], event: ConsoleDataEvent) => void): void {
    this.broadcast = broadcast;
  }

  /** A kernel was started on the guest's console, in boot `bootNumber`, with a terminal of `size`. */
  started(guestId: string, bootNumber: number, size: { cols: number; rows: number }): void {
    this.get(guestId).connect(this.sinkOf(guestId), bootNumber, { kernelSize: size });
  }

  /** The guest's kernel is gone: its console takes no more input. */
  ended(guestId: string): void {
    this.consoles.get(guestId)?.disconnect();
  }

  /** The terminal size a new kernel should start with. */
  size(guestId: string): { cols: number; rows: number } {
    return this.get(guestId).size;
  }

  private sinkOf(guestId: string): ConsoleSink {
    return {
      write: (data) => this.line.writeConsole(guestId, data),
      resize: (cols, rows) => this.line.resizeConsole(guestId, cols, rows),
    };
  }

  /**
   * The console for a viewer. A console first opened after the daemon (re)started shows
   * what the guest's last boot left on screen, not a blank terminal.
   */
  open(guestId: string): Promise<SharedConsole> {
    const existing = this.consoles.get(guestId);
    if (existing) return Promise.resolve(existing);
    let pending = this.opening.get(guestId);
    if (!pending) {
      pending = this.seed(guestId)
        .catch(() => null)
        .then((text) => {
          this.opening.delete(guestId);
          const raced = this.consoles.get(guestId);
          if (raced) return raced;
          const c = this.get(guestId);
          if (text) c.output(text);
          return c;
        });
      this.opening.set(guestId, pending);
    }
    return pending;
  }

  /** The console the kernel writes to; created blank if no viewer opened it yet. */
  private get(guestId: string): SharedConsole {
    let c = this.consoles.get(guestId);
    if (!c) {
      c = new SharedConsole(
        guestId,
        undefined,
        (ids, event) => {
          if (!this.broadcast) return false;
          this.broadcast(ids, event);
          return true;
        },
        this.ringChars,
      );
      this.consoles.set(guestId, c);
    }
    return c;
  }

  /** The console if one exists; never creates it. */
  peek(guestId: string): SharedConsole | undefined {
    return this.consoles.get(guestId);
  }

  drop(guestId: string): void {
    this.consoles.get(guestId)?.close();
    this.consoles.delete(guestId);
  }
}
