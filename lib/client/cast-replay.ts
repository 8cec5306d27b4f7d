// A recorded boot replayed into a terminal, independent of React: show it whole, go to any
// moment (the terminal redrawn from the start up to it), play on from there at a speed.
import { stepsUntil, type CastLog, type CastStep } from "../shared/cast-log";

/** What the replay needs of its terminal (xterm in the page). */
export interface ReplayTerminal {
  write(data: string, callback?: () => void): void;
  resize(cols: number, rows: number): void;
  reset(): void;
  scrollToBottom(): void;
}

const TICK_MS = 100;

export class CastReplay {
  /** Seconds into the recording that the terminal shows. */
  position = 0;
  playing = false;
  private next = 0;
  private work: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private disposed = false;

  constructor(
    private readonly term: ReplayTerminal,
    private readonly log: CastLog,
    /** Called whenever the position or playing changes. */
    private readonly onChange: () => void,
  ) {}

  /** Shows the terminal as it was `at` seconds in (the whole boot for Infinity). */
  seek(at: number): Promise<void> {
    const target = Math.max(0, Math.min(at, this.log.duration));
    this.pause();
    return this.enqueue(async () => {
      this.term.reset();
      this.term.resize(this.log.width, this.log.height);
      this.next = 0;
      await this.advance(target);
      this.term.scrollToBottom();
    });
  }

  /** Plays on from the position, `speed` recorded seconds per second, to the end. */
  play(speed: number): void {
    if (this.playing || this.disposed) return;
    if (this.position >= this.log.duration) void this.seek(0);
    this.playing = true;
    this.onChange();
    this.timer = setInterval(() => {
      const target = Math.min(this.position + (speed * TICK_MS) / 1000, this.log.duration);
      void this.enqueue(() => this.advance(target)).then(() => {
        if (target >= this.log.duration) this.pause();
      });
    }, TICK_MS);
  }

  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.playing) {
      this.playing = false;
      this.onChange();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.pause();
  }

  /** Writes the steps from where the terminal is up to `target`, in order. */
  private async advance(target: number): Promise<void> {
    const { steps, next } = stepsUntil(this.log.steps, target, this.next);
    this.next = next;
    await writeSteps(this.term, steps);
    this.position = target;
    if (!this.disposed) this.onChange();
  }

  /** One redraw at a time: a seek asked for mid-write waits for the write, then starts over. */
  private enqueue(fn: () => Promise<void>): Promise<void> {
    this.work = this.work.then(() => (this.disposed ? undefined : fn()));
    return this.work;
  }
}

/** xterm's write is queued and resize immediate: chain them so each applies in order. */
function writeSteps(term: ReplayTerminal, steps: CastStep[]): Promise<void> {
  return steps.reduce<Promise<void>>(
    (prev, step) =>
      prev.then(
        () =>
          new Promise<void>((resolve) => {
            if (step.type === "write") term.write(step.data, resolve);
            else {
              term.resize(step.cols, step.rows);
              resolve();
            }
          }),
      ),
    Promise.resolve(),
  );
}
