import type { ConsoleDataEvent, ConsoleSnapshotEvent, ConsoleViewersEvent } from "../../lib/shared/protocol";

/** How a viewer's messages leave the daemon; server/realtime/ implements it on a socket. */
export interface ViewerTransport {
  data(event: ConsoleDataEvent): void;
  snapshot(event: ConsoleSnapshotEvent): void;
  viewers(event: ConsoleViewersEvent): void;
}

// Flow control per viewer, in characters sent but not yet acknowledged (the browser acks
// after xterm has parsed them). Sending pauses at HIGH and resumes once acks bring it down
// to LOW, so a slow browser receives fewer, larger batches and a stalled one stops
// receiving at all — the daemon never queues more than HIGH + one message for it. If it
// falls so far behind that the console ring dropped what it still needs, it is resynced
// with a snapshot of the screen instead.
export const HIGH_WATERMARK = 256 * 1024;
export const LOW_WATERMARK = 64 * 1024;
export const MAX_MESSAGE = 64 * 1024;

export class ConsoleViewer {
  sentSeq = 0;
  unacked = 0;
  paused = false;
  snapshotPending = true;
  private inflight: Array<{ seq: number; chars: number }> = [];

  constructor(
    readonly id: string,
    readonly name: string,
    readonly transport: ViewerTransport,
    /** False for people who may only watch (managers, by role): never the writer. */
    readonly canWrite = true,
  ) {}

  /** Room left before the high watermark (0 while paused). */
  get budget(): number {
    return this.paused ? 0 : Math.max(0, HIGH_WATERMARK - this.unacked);
  }

  sent(seq: number, chars: number): void {
    this.sentSeq = seq;
    this.unacked += chars;
    this.inflight.push({ seq, chars });
    if (this.unacked >= HIGH_WATERMARK) this.paused = true;
  }

  /** Returns true when this ack reopened a paused viewer. */
  ack(seq: number): boolean {
    while (this.inflight.length && this.inflight[0].seq <= seq) this.unacked -= this.inflight.shift()!.chars;
    if (this.paused && this.unacked <= LOW_WATERMARK) {
      this.paused = false;
      return true;
    }
    return false;
  }

  /** A snapshot replaces everything in flight: older acks no longer matter. */
  restart(seq: number, chars: number): void {
    this.inflight = [];
    this.unacked = 0;
    this.paused = false;
    this.sent(seq, chars);
    this.snapshotPending = false;
  }
}
