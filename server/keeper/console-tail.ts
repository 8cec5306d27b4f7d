// What the keeper remembers of a console for a daemon that reconnects: enough to redraw
// any screen, bounded per guest.
export const TAIL_CHARS = 256 * 1024;

/** The end of a console's output: the last TAIL_CHARS at least, trimmed only at twice that, so a piece costs no copy. */
export class ConsoleTail {
  private text = "";

  add(data: string): void {
    this.text += data;
    if (this.text.length > 2 * TAIL_CHARS) this.text = this.text.slice(-TAIL_CHARS);
  }

  /** The last TAIL_CHARS characters (all of them if fewer). */
  get(): string {
    return this.text.slice(-TAIL_CHARS);
  }
}
