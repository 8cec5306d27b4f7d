// One browser's attachment to a guest's console, independent of React: attach, resume
// after a reconnect from the last number seen, write numbered output into the terminal
// and acknowledge it once parsed, a window at a time (the daemon's flow control), follow who holds the keyboard.
import { AckPacer } from "../shared/console-acks";
import { bootDivider } from "../shared/console-text";
import {
  consoleItemSize,
  type ClientToServerEvents,
  type ConsoleDataEvent,
  type ConsoleRole,
  type ConsoleSnapshotEvent,
  type ConsoleViewersEvent,
  type ConsoleViewerView,
  type ServerToClientEvents,
} from "../shared/protocol";
import type { Socket } from "socket.io-client";

/** What the session needs of the terminal it writes into (xterm in the page, a fake in tests). */
export interface SessionTerminal {
  write(data: string, callback?: () => void): void;
  readonly cols: number;
  readonly rows: number;
  atLineStart(): boolean;
}

export type AttachState =
  | { state: "idle" | "attaching" }
  | { state: "attached"; bootNumber: number | null }
  | { state: "failed"; error: string };

export interface ConsoleSessionState {
  attach: AttachState;
  role: ConsoleRole | null;
  viewerId: string | null;
  viewers: ConsoleViewerView[];
  writerId: string | null;
  /** Something the person should read: refused input, who took control, a resync. */
  notice: string | null;
}

// Reset in-band (RIS) rather than term.reset(): output still in xterm's write queue from an
// older attachment must not land on top of a fresh snapshot.
const FULL_RESET = "\x1bc";

/** Before attaching: no role, nobody watching, nothing to say. */
export const INITIAL_CONSOLE_STATE: ConsoleSessionState = {
  attach: { state: "idle" },
  role: null,
  viewerId: null,
  viewers: [],
  writerId: null,
  notice: null,
};

export class ConsoleSession {
  private epoch: string | null = null;
  private seq = 0;
  private attached = false;
  /** The size last asked of the guest's console (`colsxrows`), so a fit that changes nothing sends nothing. */
  private sentSize: string | null = null;
  private generation = 0;
  private sawOutput = false;
  private hintOnly = false;
  private readonly acks = new AckPacer((seq) => this.ack(seq));
  state: ConsoleSessionState = INITIAL_CONSOLE_STATE;

  constructor(
    private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>,
    private readonly guestId: string,
    private readonly term: SessionTerminal,
    private readonly opts: {
      readOnly: boolean;
      name: string;
      emptyHint: string;
      onState: (s: ConsoleSessionState) => void;
    },
  ) {}

  private set(patch: Partial<ConsoleSessionState>): void {
    this.state = { ...this.state, ...patch };
    this.opts.onState(this.state);
  }

  start(): void {
    this.socket.on("connect", this.attach);
    this.socket.on("disconnect", this.onDisconnect);
    this.socket.on("console:data", this.onData);
    this.socket.on("console:snapshot", this.onSnapshot);
    this.socket.on("console:viewers", this.onViewers);
    if (this.socket.connected) this.attach();
  }

  stop(): void {
    this.generation++;
    this.acks.cancel();
    this.socket.off("connect", this.attach);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("console:data", this.onData);
    this.socket.off("console:snapshot", this.onSnapshot);
    this.socket.off("console:viewers", this.onViewers);
    if (this.socket.connected) this.socket.emit("console:detach", { guestId: this.guestId });
  }

  private attach = (): void => {
    const gen = ++this.generation;
    this.attached = false;
    this.set({ attach: { state: "attaching" } });
    // Read-only viewers watch at the console's size and are never given the keyboard.
    const size = this.opts.readOnly ? { watch: true } : { cols: this.term.cols, rows: this.term.rows };
    this.sentSize = this.opts.readOnly ? null : `${this.term.cols}x${this.term.rows}`;
    const resume = this.epoch ? { epoch: this.epoch, seq: this.seq } : undefined;
    this.socket.emit("console:attach", { guestId: this.guestId, ...size, name: this.opts.name, resume }, (reply) => {
      if (gen !== this.generation) return;
      if (!reply.ok) return this.set({ attach: { state: "failed", error: reply.error } });
      this.epoch = reply.epoch;
      this.set({ role: reply.role, viewerId: reply.viewerId });
      this.catchUpSize();
      if (reply.mode === "resume") {
        // Exactly what we missed follows as console:data; the screen stays as it is.
        this.attached = true;
        const bootNumber = this.state.attach.state === "attached" ? this.state.attach.bootNumber : null;
        this.set({ attach: { state: "attached", bootNumber } });
        this.catchUpSize();
      }
    });
  };

  /**
   * The terminal may have been fitted while attaching (its first layout), when a resize is not
   * sent: once attached as the writer, the guest's console takes the terminal's size now.
   * Otherwise the guest keeps the size asked at attach (80 columns before the first fit, and
   * systemd then shortens its status lines to it).
   */
  private catchUpSize(): void {
    this.resize(this.term.cols, this.term.rows);
  }

  private onDisconnect = (): void => {
    this.attached = false;
    this.generation++;
  };

  private ack(seq: number): void {
    if (this.socket.connected) this.socket.emit("console:ack", { guestId: this.guestId, seq });
  }

  private onSnapshot = (e: ConsoleSnapshotEvent): void => {
    if (e.guestId !== this.guestId) return;
    const hadOutput = this.sawOutput;
    this.epoch = e.epoch;
    this.seq = e.seq;
    this.attached = true;
    this.catchUpSize();
    this.hintOnly = !e.screen;
    this.sawOutput ||= !!e.screen;
    this.term.write(FULL_RESET + (e.screen || this.opts.emptyHint), () => this.acks.snapshot(e.seq));
    const resynced = e.resynced || (hadOutput && this.state.attach.state === "attaching");
    this.set({
      attach: { state: "attached", bootNumber: e.bootNumber || null },
      notice: resynced
        ? "Resynced: output printed while this view fell behind was replaced by the current screen."
        : null,
    });
  };

  private onData = (e: ConsoleDataEvent): void => {
    if (!this.attached || e.guestId !== this.guestId || e.epoch !== this.epoch || e.seq <= this.seq) return;
    let text = "";
    let boot: number | null = null;
    for (const item of e.items) {
      if (typeof item === "string") {
        text += item;
        continue;
      }
      if (this.hintOnly) text += FULL_RESET;
      text += bootDivider(item.boot, this.hintOnly || (text ? text.endsWith("\n") : this.term.atLineStart()));
      this.hintOnly = false;
      boot = item.boot;
    }
    if (text) this.sawOutput = true;
    this.hintOnly &&= !text;
    this.seq = e.seq;
    const chars = e.items.reduce((n, item) => n + consoleItemSize(item), 0);
    this.term.write(text, () => this.acks.parsed(e.seq, chars));
    if (boot !== null || this.state.attach.state !== "attached") {
      this.set({
        attach: {
          state: "attached",
          bootNumber: boot ?? (this.state.attach.state === "attached" ? this.state.attach.bootNumber : null),
        },
      });
    }
  };

  private onViewers = (e: ConsoleViewersEvent): void => {
    if (e.guestId !== this.guestId) return;
    const me = this.state.viewerId;
    const role: ConsoleRole | null = me ? (e.writerId === me ? "writer" : "watcher") : this.state.role;
    let notice = this.state.notice;
    if (e.control && me && e.writerId !== me && this.state.role === "writer")
      notice = `${e.control.to} took control; you are watching now.`;
    else if (e.control && e.writerId === me) notice = null;
    const becameWriter = role === "writer" && this.state.role !== "writer";
    this.set({ viewers: e.viewers, writerId: e.writerId, role, notice });
    if (becameWriter) {
      this.sentSize = null; // the console has the last writer's size
      this.resize(this.term.cols, this.term.rows);
    }
  };

  input(data: string): void {
    if (this.opts.readOnly) return;
    if (!this.attached || !this.socket.connected) return this.set({ notice: "Not connected: input was not sent." });
    if (this.state.role === "watcher" && this.state.writerId) {
      const writer = this.state.viewers.find((v) => v.id === this.state.writerId)?.name ?? "someone else";
      return this.set({ notice: `You are watching: ${writer} is typing. Take control to type.` });
    }
    this.socket.emit("console:input", { guestId: this.guestId, data }, (reply) => {
      if (!reply.ok) this.set({ notice: reply.error });
      else if (this.state.notice) this.set({ notice: null });
    });
  }

  takeControl(): void {
    this.socket.emit("console:take-control", { guestId: this.guestId }, (reply) => {
      if (!reply.ok) this.set({ notice: reply.error });
    });
  }

  resize(cols: number, rows: number): void {
    if (!this.opts.readOnly && this.attached && this.state.role === "writer" && this.socket.connected) {
      if (this.sentSize === `${cols}x${rows}`) return;
      this.sentSize = `${cols}x${rows}`;
      this.socket.emit("console:resize", { guestId: this.guestId, cols, rows });
    }
  }
}
