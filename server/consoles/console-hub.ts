import type { ConsoleSnapshot } from "../../lib/protocol";
import { ConsoleScreen } from "./console-screen";

export type ConsoleEvent =
  | { type: "snapshot"; snapshot: ConsoleSnapshot }
  | { type: "output"; data: string }
  | { type: "boot"; bootNumber: number };
export type ConsoleListener = (event: ConsoleEvent) => void;

interface Viewer {
  listener: ConsoleListener;
  /** Events that arrived while this viewer's snapshot was being taken; sent after it. */
  pending: ConsoleEvent[] | null;
}

export interface ConsoleSink {
  write(data: string): void;
  resize(cols: number, rows: number): void;
}

/**
 * One guest's console: fans output out to any number of viewers, replays the current
 * screen to late joiners, and passes input and resizes to the kernel while one runs.
 * It lives as long as the daemon knows the guest, across boots, so viewers stay attached
 * through stop and start; each boot begins with a `boot` event. No viewer owns the guest.
 */
export class GuestConsole {
  private readonly screen: ConsoleScreen;
  private readonly viewers = new Set<Viewer>();
  private sink: ConsoleSink | null = null;
  bootNumber = 0;

  constructor(size = { cols: 80, rows: 24 }) {
    this.screen = new ConsoleScreen(size.cols, size.rows);
  }

  /** A kernel started on this console (or, with announce false, was re-adopted on it). */
  connect(sink: ConsoleSink, bootNumber: number, { announce = true } = {}): void {
    this.sink = sink;
    if (announce) this.newBoot(bootNumber);
    else this.bootNumber = bootNumber;
  }

  disconnect(): void {
    this.sink = null;
  }

  get connected(): boolean {
    return this.sink !== null;
  }

  output(data: string): void {
    this.screen.write(data);
    this.broadcast({ type: "output", data });
  }

  newBoot(bootNumber: number): void {
    this.bootNumber = bootNumber;
    this.broadcast({ type: "boot", bootNumber });
  }

  private broadcast(event: ConsoleEvent): void {
    for (const v of this.viewers) {
      if (v.pending) v.pending.push(event);
      else v.listener(event);
    }
  }

  /**
   * Attach a viewer. Its listener first receives a `snapshot` of the screen as of this
   * call, then everything printed after it, in order — no gap, no repeat. Returns detach.
   */
  attach(listener: ConsoleListener): () => void {
    const viewer: Viewer = { listener, pending: [] };
    this.viewers.add(viewer);
    const bootNumber = this.bootNumber;
    void this.screen.snapshot().then((screen) => {
      if (!this.viewers.has(viewer)) return;
      listener({ type: "snapshot", snapshot: { bootNumber, screen } });
      const pending = viewer.pending ?? [];
      viewer.pending = null;
      for (const e of pending) listener(e);
    });
    return () => {
      this.viewers.delete(viewer);
    };
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Returns false when no kernel is running to receive it. */
  input(data: string): boolean {
    if (!this.sink) return false;
    this.sink.write(data);
    return true;
  }

  resize(cols: number, rows: number): void {
    const now = this.screen.size;
    if (now.cols === cols && now.rows === rows) return;
    this.screen.resize(cols, rows);
    this.sink?.resize(cols, rows);
  }

  get size(): { cols: number; rows: number } {
    return this.screen.size;
  }

  close(): void {
    this.viewers.clear();
    this.screen.dispose();
  }
}

/** Recent console output of a guest's last boot, to redraw its screen after a restart. */
export type ScreenSeeder = (guestId: string) => Promise<string | null>;

/** Every guest's console, created on first use and dropped when the guest is deleted. */
export class ConsoleHub {
  private readonly consoles = new Map<string, GuestConsole>();
  private readonly opening = new Map<string, Promise<GuestConsole>>();

  constructor(private readonly seed: ScreenSeeder = async () => null) {}

  /**
   * The console for a viewer. A console first opened after the daemon (re)started shows
   * what the guest's last boot left on screen, not a blank terminal.
   */
  open(guestId: string): Promise<GuestConsole> {
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
  get(guestId: string): GuestConsole {
    let c = this.consoles.get(guestId);
    if (!c) {
      c = new GuestConsole();
      this.consoles.set(guestId, c);
    }
    return c;
  }

  drop(guestId: string): void {
    this.consoles.get(guestId)?.close();
    this.consoles.delete(guestId);
  }
}
