// A progress bar on stderr, redrawn in place; drawn only on a terminal (scripts get none).
import { formatBytes } from "../lib/shared/format";

const WIDTH = 30;
const REDRAW_MS = 100;

export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();
  private readonly tty = !!process.stderr.isTTY;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number, force = false): void {
    const now = Date.now();
    if (!this.tty || (!force && now - this.last < REDRAW_MS)) return;
    this.last = now;
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const rate = done / Math.max(0.001, (now - this.started) / 1000);
    const bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    process.stderr.write(
      `\r${this.label} [${bar}] ${Math.floor(fraction * 100)}% ${formatBytes(done)} / ${formatBytes(this.total)} ${formatBytes(rate)}/s\x1b[K`,
    );
  }

  finish(): void {
    if (this.tty) process.stderr.write("\n");
  }
}
