// When a console viewer acknowledges what its terminal has parsed: once per window, not once
// per message. Acks are cumulative (the daemon frees everything up to the seq acked), so one
// ack stands for every message before it. The daemon pauses a viewer at 256 KiB unacked and
// resumes it at 64 KiB (server/consoles/console-viewer.ts): acking at the latest every
// ACK_EVERY_CHARS keeps a viewer that keeps up well below the pause, and the timer makes sure
// the last piece of a burst is acked too, so a paused viewer is always reopened.
export const ACK_EVERY_CHARS = 32 * 1024;
export const ACK_WITHIN_MS = 100;

export class AckPacer {
  private parsedSeq = 0;
  private ackedSeq = 0;
  private pendingChars = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (seq: number) => void,
    private readonly every = ACK_EVERY_CHARS,
    private readonly withinMs = ACK_WITHIN_MS,
  ) {}

  /** The terminal has parsed everything up to `seq`, `chars` of it since the last call. */
  parsed(seq: number, chars: number): void {
    if (seq <= this.parsedSeq) return;
    this.parsedSeq = seq;
    this.pendingChars += chars;
    if (this.pendingChars >= this.every) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), this.withinMs);
  }

  /**
   * A snapshot was parsed: it replaces everything in flight, so `seq` is acked at once and
   * counting starts again from it (after a daemon restart, a new epoch numbers from low again).
   */
  snapshot(seq: number): void {
    this.cancel();
    this.parsedSeq = seq;
    this.ackedSeq = seq;
    this.pendingChars = 0;
    this.send(seq);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.cancel();
    this.pendingChars = 0;
    if (this.parsedSeq <= this.ackedSeq) return;
    this.ackedSeq = this.parsedSeq;
    this.send(this.parsedSeq);
  }
}
