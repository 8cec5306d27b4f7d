// One console attachment as a test sees it: everything printed since attaching, typed input.
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ConsoleViewersEvent, ServerToClientEvents } from "../../lib/shared/protocol";
import { AckPacer } from "../../lib/shared/console-acks";
import { waitFor } from "./wait";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class ConsoleTap {
  snapshot = "";
  snapshots = 0;
  resyncs = 0;
  output = "";
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
      let chars = 0;
      for (const item of e.items) {
        chars += typeof item === "string" ? item.length : 1;
        if (typeof item === "string") this.output += item;
        else this.boots.push(item.boot);
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
