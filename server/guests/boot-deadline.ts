export type BootMiss = "silent" | "limit";

export interface BootDeadlineTimes {
  /** A boot that prints nothing for this long before it is ready has hung. */
  silenceMs: number;
  /** No boot takes longer than this, however much it prints. */
  limitMs: number;
}

/**
 * When a boot that is not ready yet is given up. A boot is judged by its console, not by a
 * clock alone: a busy host can stretch a healthy Debian boot past any fixed deadline, but a
 * healthy boot keeps printing. It misses when its console has been silent for `silenceMs`, or
 * when `limitMs` has passed since it began.
 *
 * `heard` runs for every chunk of console output, so it only notes the time; the one timer
 * looks at that note when it fires and sets itself again for the rest.
 */
export class BootDeadline {
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private lastHeardAt = 0;

  constructor(
    private readonly times: BootDeadlineTimes,
    private readonly onMiss: (miss: BootMiss) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts judging a boot that began at `startedAt` (earlier for an adopted or rebooted guest). */
  arm(startedAt: number): void {
    this.startedAt = startedAt;
    this.lastHeardAt = this.now(); // what an adopted boot printed before is not known: count from now
    this.schedule();
  }

  heard(): void {
    this.lastHeardAt = this.now();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.clear();
    const due = Math.min(this.lastHeardAt + this.times.silenceMs, this.startedAt + this.times.limitMs);
    this.timer = setTimeout(() => this.check(), Math.max(0, due - this.now()));
  }

  private check(): void {
    this.timer = null;
    const now = this.now();
    if (now >= this.startedAt + this.times.limitMs) return this.onMiss("limit");
    if (now >= this.lastHeardAt + this.times.silenceMs) return this.onMiss("silent");
    this.schedule();
  }
}
