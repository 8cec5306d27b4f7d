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

  constructor(
    readonly file: string,
    size: { cols: number; rows: number },
    title: string,
    startedAt = Date.now(),
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

  private append(code: "o" | "r" | "m", data: string, at: number): void {
    if (this.fd === null) return;
    fs.writeSync(this.fd, encodeCastEvent(Math.max(0, at - this.t0) / 1000, code, data));
  }

  output(data: string, at = Date.now()): void {
    if (this.fd === null) return;
    this.bytes += Buffer.byteLength(data);
    this.append("o", data, at);
  }

  resize(cols: number, rows: number, at = Date.now()): void {
    this.append("r", `${cols}x${rows}`, at);
  }

  marker(label: string, at = Date.now()): void {
    this.append("m", label, at);
  }

  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }
}
