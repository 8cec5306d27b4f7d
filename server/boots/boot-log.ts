import fs from "node:fs";
import { formatBytes } from "../../lib/shared/format";
import { encodeCastEvent, encodeCastHeader, TRUNCATED_MARKER, type CastEventCode } from "./asciicast";

export interface BootLogOptions {
  size: { cols: number; rows: number };
  title: string;
  startedAt?: number;
  /** The most the file may hold; recording stops there, with a visible mark. */
  maxBytes?: number;
  /**
   * Output arriving within this many ms of the first piece of a pending output event joins
   * it; null writes one event per piece (what the kernel's few-byte writes made before).
   */
  coalesceMs?: number | null;
  /** Recording failed (ENOSPC, EIO): the guest runs on, unrecorded. */
  onFailure?: (message: string) => void;
  /** The log reached `maxBytes`: `outputBytes` of the guest's output were recorded. */
  onTruncated?: (outputBytes: number) => void;
}

/** How long output may wait to join one cast event: far below what a person can see. */
export const COALESCE_MS = 5;
const FLUSH_BYTES = 256 * 1024;

/**
 * One boot's console recording (asciicast v2), appended as it happens. UML writes its
 * console a few bytes at a time; output arriving within `coalesceMs` becomes one event
 * (timed at its first byte), so the file holds the output plus a little, not an event per
 * few bytes. Writes are synchronous at the end of that window: a crash of this process
 * loses at most the last few milliseconds of output.
 *
 * The file never grows past `maxBytes`: the last event that fits is cut to fit, and a
 * marker and a visible line say where recording stopped. The guest is not touched.
 */
export class BootLog {
  private fd: number | null;
  private readonly t0: number;
  private readonly maxBytes: number;
  private readonly coalesceMs: number | null;
  private readonly mark: string;
  private readonly markReserve: number;
  private written = 0;
  private pending = "";
  private pendingBytes = 0;
  private run: { at: number; data: string } | null = null;
  private flushQueued = false;
  /** The guest's output recorded so far (what the boot record's logBytes counts). */
  bytes = 0;
  /** Why recording stopped early (e.g. the disk filled up); null while all is well. */
  failure: string | null = null;
  truncated = false;

  constructor(
    readonly file: string,
    private readonly opts: BootLogOptions,
  ) {
    this.t0 = opts.startedAt ?? Date.now();
    this.maxBytes = opts.maxBytes ?? Infinity;
    this.coalesceMs = opts.coalesceMs === undefined ? COALESCE_MS : opts.coalesceMs;
    this.mark = truncationLine(this.maxBytes);
    // Room kept for the mark, however late it comes (timestamps up to ~30 years).
    this.markReserve =
      Buffer.byteLength(encodeCastEvent(1e9, "m", TRUNCATED_MARKER)) +
      Buffer.byteLength(encodeCastEvent(1e9, "o", this.mark));
    this.fd = fs.openSync(file, "wx", 0o640);
    const header = encodeCastHeader({
      version: 2,
      width: opts.size.cols,
      height: opts.size.rows,
      timestamp: Math.floor(this.t0 / 1000),
      title: opts.title,
    });
    fs.writeSync(this.fd, header);
    this.written = Buffer.byteLength(header);
  }

  output(data: string, at = Date.now()): void {
    if (this.fd === null) return;
    if (this.run && this.coalesceMs !== null && at - this.run.at <= this.coalesceMs) this.run.data += data;
    else {
      this.encodeRun();
      this.run = { at, data };
    }
    this.queueFlush(this.run ? this.run.data.length : 0);
  }

  resize(cols: number, rows: number, at = Date.now()): void {
    this.event("r", `${cols}x${rows}`, at);
  }

  marker(label: string, at = Date.now()): void {
    this.event("m", label, at);
  }

  private event(code: "r" | "m", data: string, at: number): void {
    if (this.fd === null) return;
    this.encodeRun();
    this.encode(code, data, at);
    this.queueFlush(0);
  }

  private queueFlush(runLength: number): void {
    if (this.fd === null) return;
    if (this.pendingBytes + runLength > FLUSH_BYTES) return void this.flush();
    if (this.flushQueued) return;
    this.flushQueued = true;
    const flush = () => {
      this.flushQueued = false;
      this.flush();
    };
    if (this.coalesceMs) setTimeout(flush, this.coalesceMs);
    else setImmediate(flush);
  }

  private encodeRun(): void {
    const run = this.run;
    this.run = null;
    if (run) this.encode("o", run.data, run.at);
  }

  private line(code: CastEventCode, data: string, at: number): string {
    return encodeCastEvent(Math.max(0, at - this.t0) / 1000, code, data);
  }

  /** Queues one event, or as much of it as fits before the limit and then the mark. */
  private encode(code: CastEventCode, data: string, at: number): void {
    if (this.fd === null) return;
    const room = this.maxBytes - this.markReserve - this.written - this.pendingBytes;
    let line = this.line(code, data, at);
    if (Buffer.byteLength(line) > room) {
      data = code === "o" ? longestPrefixFitting(data, room, (d) => this.line(code, d, at)) : "";
      line = data ? this.line(code, data, at) : "";
      this.truncated = true;
    }
    this.pending += line;
    this.pendingBytes += Buffer.byteLength(line);
    if (code === "o") this.bytes += Buffer.byteLength(data);
    if (!this.truncated) return;
    // Marker first: readers counting the guest's output stop there (castFileOutputBytes).
    this.pending += this.line("m", TRUNCATED_MARKER, at) + this.line("o", this.mark, at);
    this.flush();
    this.close();
    this.opts.onTruncated?.(this.bytes);
  }

  /**
   * Writes what is pending. A failed write ends the recording instead of throwing: the
   * guest and every other guest must keep running; the boot is reported as incomplete.
   */
  flush(): boolean {
    if (this.fd === null) return false;
    if (!this.truncated) this.encodeRun();
    if (!this.pending) return true;
    const text = this.pending;
    this.pending = "";
    this.pendingBytes = 0;
    try {
      fs.writeSync(this.fd, text);
      this.written += Buffer.byteLength(text);
      return true;
    } catch (err) {
      this.failure = `the boot log stopped after ${this.bytes} bytes: ${(err as Error).message}`;
      this.close();
      this.opts.onFailure?.(this.failure);
      return false;
    }
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

/** What a replay shows where recording stopped. */
function truncationLine(maxBytes: number): string {
  return (
    `\r\n\x1b[0;7m[Corral: log truncated here — this boot's log reached its ${formatBytes(maxBytes)} limit ` +
    `(CORRAL_BOOT_LOG_MAX_MIB). The guest kept running and its console went on; it was not recorded.]\x1b[0m\r\n`
  );
}

/** The longest prefix of `data` whose encoded line is at most `room` bytes (never half a surrogate pair). */
function longestPrefixFitting(data: string, room: number, encode: (d: string) => string): string {
  let lo = 0;
  let hi = data.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(encode(data.slice(0, mid))) <= room) lo = mid;
    else hi = mid - 1;
  }
  const end = lo > 0 && /[\ud800-\udbff]/.test(data[lo - 1]) ? lo - 1 : lo;
  return data.slice(0, end);
}
