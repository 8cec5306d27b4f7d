import fs from "node:fs";
import { encodeCastEvent, encodeCastHeader } from "./asciicast";

/**
 * One boot's console recording, appended as it happens. Writes are synchronous and
 * unbuffered: a daemon crash can lose at most the line being written, never a batch.
 * (The console peaks around 2 MB/s in chunks of a few KiB: a few hundred small appends a
 * second, well within what a synchronous write costs.)
 */
export class BootLog {
  private fd: number | null;
  private readonly t0: number;
  bytes = 0;
  /** Why recording stopped early (e.g. the disk filled up); null while all is well. */
  failure: string | null = null;

  constructor(
    readonly file: string,
    size: { cols: number; rows: number },
    title: string,
    startedAt = Date.now(),
    private readonly onFailure: (message: string) => void = () => {},
  ) {
    this.t0 = startedAt;
    this.fd = fs.openSync(file, "wx", 0o640);
    const header = {
      version: 2 as const,
      width: size.cols,
      height: size.rows,
      timestamp: Math.floor(startedAt / 1000),
      title,
    };
    fs.writeSync(this.fd, encodeCastHeader(header));
  }

  /**
   * A failed write (ENOSPC, EIO) ends the recording instead of throwing: the guest and
   * every other guest must keep running; the boot is reported as incomplete instead.
   */
  private append(code: "o" | "r" | "m", data: string, at: number): boolean {
    if (this.fd === null) return false;
    try {
      fs.writeSync(this.fd, encodeCastEvent(Math.max(0, at - this.t0) / 1000, code, data));
      return true;
    } catch (err) {
      this.failure = `the boot log stopped after ${this.bytes} bytes: ${(err as Error).message}`;
      this.close();
      this.onFailure(this.failure);
      return false;
    }
  }

  output(data: string, at = Date.now()): void {
    if (this.append("o", data, at)) this.bytes += Buffer.byteLength(data);
  }

  resize(cols: number, rows: number, at = Date.now()): void {
    this.append("r", `${cols}x${rows}`, at);
  }

  marker(label: string, at = Date.now()): void {
    this.append("m", label, at);
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fs.closeSync(fd);
    } catch {}
  }
}
