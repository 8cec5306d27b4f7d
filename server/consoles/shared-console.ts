import { randomUUID } from "node:crypto";
import { bootDivider } from "../../lib/shared/console-text";
import {
  consoleItemSize,
  type ConsoleAttachReply,
  type ConsoleDataEvent,
  type ConsoleRole,
} from "../../lib/shared/protocol";
import { ConsoleRing, packItems } from "./console-ring";
import { ConsoleScreen } from "./console-screen";
import { ConsoleViewer, HIGH_WATERMARK, MAX_MESSAGE, type ViewerTransport } from "./console-viewer";
import { FlushPace } from "./flush-pace";

/** Where a console's keystrokes and size go: its kernel's pseudo-terminal (the keeper holds it). */
export interface ConsoleSink {
  write(data: string): void;
  resize(cols: number, rows: number): void;
}

// Memory per guest: the ring holds at most RING_CHARS characters unless the daemon is told
// otherwise (CORRAL_CONSOLE_RING_KIB; ≈2 MiB as UTF-16 at the default), the screen
// SCROLLBACK lines. Per viewer: see console-viewer.ts (≤ 320 KiB in flight).
export const RING_CHARS = 1024 * 1024;

/**
 * One guest's console for any number of viewers: numbered output in a bounded ring,
 * a headless screen for snapshots, one writer who may type and resize, watchers who may
 * take control. It lives as long as the daemon knows the guest, across boots. No viewer
 * owns the guest; a slow viewer only ever slows itself.
 */
export class SharedConsole {
  readonly epoch = randomUUID().slice(0, 8);
  private readonly ring: ConsoleRing;
  private readonly screen: ConsoleScreen;
  private readonly viewers = new Map<string, ConsoleViewer>();
  private writerId: string | null = null;
  private sink: ConsoleSink | null = null;
  /** When output goes to the viewers: at once, or gathered while the console is busy. */
  private readonly pace = new FlushPace(() => this.flushAll());
  bootNumber = 0;

  constructor(
    readonly guestId: string,
    size = { cols: 80, rows: 24 },
    /** Sends one data event to several viewers, encoding it once; false if it cannot. */
    private readonly broadcast: (viewerIds: string[], event: ConsoleDataEvent) => boolean = () => false,
    ringChars = RING_CHARS,
  ) {
    this.ring = new ConsoleRing(ringChars);
    this.screen = new ConsoleScreen(size.cols, size.rows);
  }

  /**
   * A kernel runs on this console now, in boot `bootNumber` (its divider is drawn unless
   * this boot's output already drew it); with announce false it was re-adopted mid-boot.
   * `kernelSize` is the size it was started with: the writer may have resized the console
   * since (a resize with no kernel reaches only the screen), and the kernel takes that size
   * now — else it keeps the old one until the next resize, and systemd shortens every line.
   */
  connect(
    sink: ConsoleSink,
    bootNumber: number,
    { announce = true, kernelSize }: { announce?: boolean; kernelSize?: { cols: number; rows: number } } = {},
  ): void {
    this.sink = sink;
    const now = this.screen.size;
    if (kernelSize && (kernelSize.cols !== now.cols || kernelSize.rows !== now.rows)) sink.resize(now.cols, now.rows);
    if (announce) this.newBoot(bootNumber);
    else this.bootNumber = Math.max(this.bootNumber, bootNumber);
  }

  disconnect(): void {
    this.sink = null;
  }

  get connected(): boolean {
    return this.sink !== null;
  }

  output(data: string): void {
    if (!data) return;
    this.screen.write(data);
    this.ring.append(data);
    this.pace.output(data);
  }

  /** Draws the divider of a boot once, whichever comes first: its start or its first output. */
  newBoot(bootNumber: number): void {
    if (bootNumber <= this.bootNumber) return;
    this.bootNumber = bootNumber;
    this.screen.write(bootDivider(bootNumber, this.screen.atLineStart()));
    this.ring.append({ boot: bootNumber });
    this.pace.queue();
  }

  attach(opts: {
    id: string;
    name: string;
    transport: ViewerTransport;
    resume?: { epoch: string; seq: number };
    canWrite?: boolean;
  }): ConsoleAttachReply {
    if (this.viewers.has(opts.id)) this.detach(opts.id);
    const viewer = new ConsoleViewer(opts.id, opts.name, opts.transport, opts.canWrite ?? true);
    this.viewers.set(opts.id, viewer);
    if (this.writerId === null && viewer.canWrite) this.writerId = viewer.id;
    const resume = opts.resume;
    const canResume =
      resume?.epoch === this.epoch && resume.seq <= this.ring.endSeq && this.ring.since(resume.seq) !== null;
    if (canResume) {
      viewer.restart(resume.seq, 0);
      this.pace.queue();
    } else {
      this.sendSnapshot(viewer, false);
    }
    this.announceViewers();
    return {
      viewerId: viewer.id,
      role: this.roleOf(viewer.id),
      epoch: this.epoch,
      mode: canResume ? "resume" : "snapshot",
    };
  }

  detach(id: string): void {
    if (!this.viewers.delete(id)) return;
    if (this.writerId === id) this.writerId = null;
    this.announceViewers();
  }

  roleOf(id: string): ConsoleRole {
    return this.writerId === id ? "writer" : "watcher";
  }

  takeControl(id: string): void {
    const viewer = this.viewers.get(id);
    if (!viewer || !viewer.canWrite || this.writerId === id) return;
    const from = this.writerId ? (this.viewers.get(this.writerId)?.name ?? null) : null;
    this.writerId = id;
    this.announceViewers({ to: viewer.name, from });
  }

  /** Input from a viewer: only the writer types. With no writer, the first to type becomes it. */
  input(id: string, data: string): string | null {
    const viewer = this.viewers.get(id);
    if (!viewer) return "Attach to the console before typing.";
    if (!viewer.canWrite) return "You may watch this console but not type into it.";
    if (this.writerId === null) this.takeControl(id);
    if (this.writerId !== id) {
      const writer = this.viewers.get(this.writerId!)?.name ?? "someone else";
      return `You are watching: ${writer} is typing. Take control to type.`;
    }
    if (!this.sink) return "The guest is not running.";
    this.pace.inputSent();
    this.sink.write(data);
    return null;
  }

  resize(id: string, cols: number, rows: number): void {
    if (this.writerId !== id) return;
    const now = this.screen.size;
    if (now.cols === cols && now.rows === rows) return;
    this.screen.resize(cols, rows);
    this.sink?.resize(cols, rows);
  }

  /** The kernel's terminal size when the daemon adopts a running guest. */
  adoptSize(cols: number, rows: number): void {
    const now = this.screen.size;
    if (now.cols !== cols || now.rows !== rows) this.screen.resize(cols, rows);
  }

  ack(id: string, seq: number): void {
    const viewer = this.viewers.get(id);
    if (viewer?.ack(seq)) this.flush(viewer);
  }

  private flushAll(): void {
    // Viewers that are in step (same position, room to receive) share each message,
    // encoded once however many there are.
    const inStep = new Map<number, ConsoleViewer[]>();
    for (const v of this.viewers.values()) {
      if (v.snapshotPending || v.budget === 0) continue;
      const group = inStep.get(v.sentSeq);
      if (group) group.push(v);
      else inStep.set(v.sentSeq, [v]);
    }
    for (const group of inStep.values()) this.flush(group);
  }

  private flush(viewers: ConsoleViewer | ConsoleViewer[]): void {
    let group = (Array.isArray(viewers) ? viewers : [viewers]).filter((v) => !v.snapshotPending && v.budget > 0);
    while (group.length) {
      const entries = this.ring.since(group[0].sentSeq);
      if (entries === null) return group.forEach((v) => this.sendSnapshot(v, true));
      if (entries.length === 0) return;
      let chars = 0;
      let n = 0;
      const limit = Math.min(MAX_MESSAGE, ...group.map((v) => v.budget));
      while (n < entries.length && (n === 0 || chars < limit)) {
        chars += consoleItemSize(entries[n++].item);
      }
      const batch = entries.slice(0, n);
      const seq = batch[batch.length - 1].seq;
      const event = { guestId: this.guestId, epoch: this.epoch, seq, items: packItems(batch) };
      const shared =
        group.length > 1 &&
        this.broadcast(
          group.map((v) => v.id),
          event,
        );
      if (!shared) for (const v of group) v.transport.data(event);
      for (const v of group) v.sent(seq, chars);
      group = group.filter((v) => v.budget > 0);
    }
  }

  /** The screen as of now, then whatever follows; used on attach and for a viewer left behind. */
  private sendSnapshot(viewer: ConsoleViewer, resynced: boolean): void {
    viewer.snapshotPending = true;
    const seq = this.ring.endSeq;
    const bootNumber = this.bootNumber;
    void this.screen.snapshot().then((screen) => {
      if (this.viewers.get(viewer.id) !== viewer) return;
      viewer.transport.snapshot({ guestId: this.guestId, epoch: this.epoch, seq, bootNumber, screen, resynced });
      viewer.restart(seq, screen.length);
      this.flush(viewer);
    });
  }

  private announceViewers(control?: { to: string; from: string | null }): void {
    const event = {
      guestId: this.guestId,
      writerId: this.writerId,
      viewers: [...this.viewers.values()].map((v) => ({ id: v.id, name: v.name, role: this.roleOf(v.id) })),
      control,
    };
    for (const v of this.viewers.values()) v.transport.viewers(event);
  }

  get size(): { cols: number; rows: number } {
    return this.screen.size;
  }

  /** For tests and the API: who is attached and what this console holds in memory. */
  stats() {
    return {
      epoch: this.epoch,
      seq: this.ring.endSeq,
      ringChars: this.ring.chars,
      ringLimitChars: this.ring.maxChars,
      highWatermarkChars: HIGH_WATERMARK,
      writerId: this.writerId,
      viewers: [...this.viewers.values()].map((v) => ({
        id: v.id,
        name: v.name,
        role: this.roleOf(v.id),
        unackedChars: v.unacked,
        paused: v.paused,
      })),
    };
  }

  close(): void {
    this.pace.close();
    this.viewers.clear();
    this.screen.dispose();
  }
}
