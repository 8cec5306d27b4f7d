// One console attachment as a test sees it: everything printed since attaching, typed input.
import { io, type Socket } from "socket.io-client";
import {
  consoleItemSize,
  type ClientToServerEvents,
  type ConsoleViewersEvent,
  type ServerToClientEvents,
} from "../../lib/shared/protocol";
import { AckPacer } from "../../lib/shared/console-acks";
import { isToken, WEB_ORIGIN } from "./daemon-session";
import { waitFor } from "./wait";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const TAIL_CHARS = 1024;

export class ConsoleTap {
  snapshot = "";
  snapshots = 0;
  resyncs = 0;
  output = "";
  /** console:data messages received: what batching a viewer gets. */
  messages = 0;
  /**
   * The output's last characters, for a bench watching for its end marker on every message:
   * searching `output` itself would copy all of it each time (V8 flattens the concatenation).
   */
  tail = "";
  boots: number[] = [];
  epoch = "";
  seq = 0;
  role: "writer" | "watcher" = "watcher";
  viewerId = "";
  mode: "resume" | "snapshot" = "snapshot";
  viewers: ConsoleViewersEvent | null = null;
  /** With autoAck, acks go as the browser sends them: a window at a time. */
  private readonly acks = new AckPacer((seq) => this.ack(seq));

  constructor(
    private readonly s: TestSocket,
    private readonly guestId: string,
    private readonly autoAck: boolean,
  ) {
    s.on("console:data", (e) => {
      if (e.guestId !== guestId) return;
      if (e.epoch !== this.epoch && this.epoch) throw new Error("console epoch changed under an attachment");
      this.messages++;
      let chars = 0;
      for (const item of e.items) {
        chars += consoleItemSize(item);
        if (typeof item !== "string") this.boots.push(item.boot);
        else {
          this.output += item;
          this.tail = item.length >= TAIL_CHARS ? item.slice(-TAIL_CHARS) : (this.tail + item).slice(-TAIL_CHARS);
        }
      }
      this.seq = e.seq;
      if (this.autoAck) this.acks.parsed(e.seq, chars);
    });
    s.on("console:snapshot", (e) => {
      if (e.guestId !== guestId) return;
      this.snapshot = e.screen;
      this.snapshots++;
      if (e.resynced) this.resyncs++;
      this.seq = e.seq;
      if (this.autoAck) this.acks.snapshot(e.seq);
    });
    s.on("console:viewers", (e) => {
      if (e.guestId === guestId) this.viewers = e;
    });
  }

  ack(seq = this.seq): void {
    this.s.emit("console:ack", { guestId: this.guestId, seq });
  }

  type(data: string) {
    return this.s.emitWithAck("console:input", { guestId: this.guestId, data });
  }

  takeControl() {
    return this.s.emitWithAck("console:take-control", { guestId: this.guestId });
  }

  /** Waits until the output (since attaching) matches; returns the match. */
  expect(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return waitFor(`console output to match ${pattern}`, () => this.output.match(pattern), timeoutMs);
  }
}

/** A socket.io client of the daemon at `url`, signed in with a session cookie or an API token. */
export async function connectSocket(url: string, credential: string): Promise<TestSocket> {
  const s: TestSocket = io(url, {
    transports: ["websocket"],
    extraHeaders: isToken(credential)
      ? { authorization: `Bearer ${credential}` }
      : { origin: WEB_ORIGIN, cookie: credential },
  });
  await waitFor("socket to connect", () => s.connected, 30_000);
  return s;
}

/** Attaches a console and collects everything it prints (snapshot first). */
export async function attachTap(
  s: TestSocket,
  guestId: string,
  size: { cols: number; rows: number } | null = { cols: 80, rows: 24 },
  opts: { name?: string; autoAck?: boolean; resume?: { epoch: string; seq: number } } = {},
): Promise<ConsoleTap> {
  const tap = new ConsoleTap(s, guestId, opts.autoAck ?? true);
  const reply = await s.emitWithAck("console:attach", {
    guestId,
    ...(size ?? {}),
    name: opts.name,
    resume: opts.resume,
  });
  if (!reply.ok) throw new Error(`attach: ${reply.error}`);
  Object.assign(tap, { epoch: reply.epoch, role: reply.role, viewerId: reply.viewerId, mode: reply.mode });
  if (reply.mode === "snapshot") await waitFor("the console snapshot", () => tap.snapshots > 0, 30_000);
  return tap;
}
