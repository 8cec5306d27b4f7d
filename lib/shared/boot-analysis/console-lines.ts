// Console output, in the arbitrary chunks a pty delivers, into the lines a person would
// read: CR LF (and CR CR LF) end a line; a lone CR returns to the start of the line, so
// what follows replaces it (systemd's status line redraws, busybox's `\r` before its
// messages); control sequences are stripped. Linear in the input; lines are capped.
import { stripAnsi } from "./ansi";

/** Longer lines are cut here: no message worth recognising is longer. */
export const MAX_LINE_CHARS = 4096;
/** A prompt is looked for only in an unfinished line up to this long. */
const MAX_PROMPT_CHARS = 256;

export interface ConsoleLine<Stamp> {
  /** The line's text without control sequences or the line ending. */
  text: string;
  /** Where the line started in the whole output (all output chunks concatenated). */
  offset: number;
  /**
   * The stamp of the chunk that brought the line's last text: when it was on screen, whole
   * (its line end may come in a later chunk: systemd often writes CR, then CR LF).
   */
  stamp: Stamp;
}

export class ConsoleLineSplitter<Stamp> {
  private raw = "";
  private stamp: Stamp | undefined;
  private start = 0;
  private consumed = 0;
  /** A CR was the last character: the next one decides between a line end and a redraw. */
  private cr = false;

  /** Feeds one chunk of output; `onLine` gets every line the chunk completes, in order. */
  feed(data: string, stamp: Stamp, onLine: (line: ConsoleLine<Stamp>) => void): void {
    const base = this.consumed;
    const n = data.length;
    this.consumed += n;
    // The next LF and CR, each searched again only once passed: linear in the chunk.
    let lf = indexOr(data, "\n", 0, n);
    let cr = indexOr(data, "\r", 0, n);
    let i = 0;
    while (i < n) {
      if (i === lf) {
        this.emit(onLine);
        this.cr = false;
        lf = indexOr(data, "\n", ++i, n);
        continue;
      }
      if (i === cr) {
        this.cr = true;
        cr = indexOr(data, "\r", ++i, n);
        continue;
      }
      if (this.cr) {
        // Back to column 0 without a new line: the old text is being overwritten.
        this.cr = false;
        this.raw = "";
      }
      const j = Math.min(lf, cr);
      if (this.raw === "") this.start = base + i;
      const room = MAX_LINE_CHARS - this.raw.length;
      if (room > 0) this.raw += data.slice(i, Math.min(j, i + room));
      this.stamp = stamp;
      i = j;
    }
  }

  /**
   * The unfinished line as it stands, or null if it is too long to be a prompt. A prompt is
   * such a line: it waits for input and its line end comes only after the typing.
   */
  pending(): string | null {
    if (this.raw === "" || this.raw.length > MAX_PROMPT_CHARS) return null;
    return stripAnsi(this.raw);
  }

  /** Characters of output fed so far. */
  consumedChars(): number {
    return this.consumed;
  }

  /** Offset in the output where the unfinished line started. */
  pendingOffset(): number {
    return this.start;
  }

  /** The output ended: an unfinished line is a line too. */
  end(onLine: (line: ConsoleLine<Stamp>) => void): void {
    this.emit(onLine);
    this.cr = false;
  }

  /** Empty lines are not reported: nothing is ever recognised in them. */
  private emit(onLine: (line: ConsoleLine<Stamp>) => void): void {
    if (this.raw === "") return;
    const text = stripAnsi(this.raw);
    this.raw = "";
    onLine({ text, offset: this.start, stamp: this.stamp as Stamp });
  }
}

function indexOr(data: string, char: string, from: number, none: number): number {
  const at = data.indexOf(char, from);
  return at < 0 ? none : at;
}
