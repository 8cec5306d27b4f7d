import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";

const { Terminal } = headless;
const { SerializeAddon } = serialize;

const SCROLLBACK = 1000;

/**
 * The current screen of one guest's console, kept by a headless xterm so a viewer who
 * arrives late gets exactly what an attached viewer sees — not a replay of raw bytes.
 */
export class ConsoleScreen {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly serializer: InstanceType<typeof SerializeAddon>;

  constructor(cols: number, rows: number) {
    this.term = new Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
  }

  write(data: string): void {
    this.term.write(data);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
  }

  /** Whether the cursor sits at the start of a line (as far as parsing has got). */
  atLineStart(): boolean {
    return this.term.buffer.active.cursorX === 0;
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.term.cols, rows: this.term.rows };
  }

  /**
   * Resolves with the serialized screen once everything written before this call has been
   * parsed (xterm parses asynchronously). Data written after the call is not included.
   */
  snapshot(): Promise<string> {
    return new Promise((resolve) => {
      this.term.write("", () => resolve(this.serializer.serialize({ scrollback: SCROLLBACK })));
    });
  }

  dispose(): void {
    this.term.dispose();
  }
}
