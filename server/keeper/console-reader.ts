import { PROMPT } from "../boots/console-watcher";
import { logger } from "../log";
import { OutputBatch } from "./output-batch";
import { nudgeKernel, PtyReads } from "./pty-reads";
import { StallWatch } from "./stall-watch";

const log = logger("keeper");

export interface ConsoleSource {
  readonly pid: number;
  pause(): void;
  resume(): void;
}

/**
 * How the keeper reads one kernel's console: in batches (output-batch.ts), holding the pty
 * while a busy batch gathers, pausing it while the daemon is behind (pty-reads.ts), and — for
 * a UML kernel — waking a console that went silent mid-stream (stall-watch.ts). A container's
 * console is never signalled: lxc-start would die of a SIGIO.
 */
export class ConsoleReader {
  private readonly reads: PtyReads;
  private readonly batch: OutputBatch;
  private readonly stalls: StallWatch | null;
  private recent = "";
  private closed = false;

  constructor(
    private readonly source: () => ConsoleSource,
    opts: { uml: boolean; name: string; deliver: (data: string) => void },
  ) {
    this.reads = new PtyReads(source);
    this.stalls = opts.uml ? new StallWatch(() => this.nudge()) : null;
    this.batch = new OutputBatch(
      (data) => {
        // Debug only: a boot's own pauses also end after a spare SIGIO.
        if (this.stalls?.seen(data.length)) log.debug("console printed again after a SIGIO", { guest: opts.name });
        opts.deliver(data);
      },
      {
        endsBatch: (piece) => this.endsAtPrompt(piece),
        hold: {
          pause: () => this.reads.set("held", true),
          resume: () => this.reads.set("held", false),
          nudge: opts.uml ? () => this.nudge() : undefined,
        },
      },
    );
  }

  /** A piece the pty gave. */
  push(data: string): void {
    this.batch.push(data);
  }

  /** Delivers what is gathered now, so that an event told next follows it. */
  flush(): void {
    this.batch.flush();
  }

  /** Reads the pty again if a batch window holds it (its output is delivered with the window). */
  readNow(): void {
    this.batch.readNow();
  }

  /** Input went to the console: its echo is read and delivered at once. */
  inputSent(): void {
    this.batch.inputSent();
  }

  /** The daemon is behind: stop reading until `resume`. */
  pause(): void {
    this.reads.set("daemon", true);
  }

  resume(): void {
    this.reads.set("daemon", false);
  }

  /** The kernel is gone: the last output is delivered, no timer is left. */
  close(): void {
    this.closed = true;
    this.batch.close();
    this.stalls?.stop();
  }

  /** A prompt ends a batch at once: readiness and a finished command's output are not held back. */
  private endsAtPrompt(piece: string): boolean {
    this.recent = (this.recent + piece).slice(-64);
    return PROMPT.test(this.recent);
  }

  private nudge(): void {
    if (!this.closed) nudgeKernel(this.source().pid);
  }
}
