import fs from "node:fs";
import { encodeCastEvent, encodeCastHeader } from "./asciicast";

/**
 * One boot's console recording, appended as it happens. The kernel's console arrives in
 * pieces of a few bytes; the events of one turn of the event loop are written together,
 * synchronously, at the end of that turn (each keeps its own timestamp). A crash of this
 * process can lose at most that one turn's output.
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
  private pending = "";
  private flushQueued = false;

  private append(code: "o" | "r" | "m", data: string, at: number): boolean {
    if (this.fd === null) return false;
    this.pending += encodeCastEvent(Math.max(0, at - this.t0) / 1000, code, data);
    if (this.pending.length > 256 * 1024) return this.flush();
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
    return true;
  }

  /** Writes what is pending. Returns false once recording has failed. */
  flush(): boolean {
    if (this.fd === null) return false;
    if (!this.pending) return true;
    const text = this.pending;
    this.pending = "";
    try {
      fs.writeSync(this.fd, text);
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
    this.flush();
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fs.closeSync(fd);
    } catch {}
  }
}
