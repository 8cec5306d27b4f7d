import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FULL_READ_CHARS, HOLD_MAX_CHARS, HOLD_READ_CHARS, OutputBatch } from "./output-batch";

/** What a console's batch may meet, in any order: pieces of output, input sent, a timer's turn, a flush. */
type Op = { push: string } | { input: true } | { tick: true } | { flush: true };
const opSequences = fc.array(
  fc.oneof(
    fc.string({ maxLength: 20 }).map((push): Op => ({ push })),
    fc.constant<Op>({ input: true }),
    fc.constant<Op>({ tick: true }),
    fc.constant<Op>({ flush: true }),
  ),
  { maxLength: 60 },
);

// Fake timers: each test says which timer has fired (an event), never how long anything took.
describe("OutputBatch", () => {
  let got: string[];
  let batch: OutputBatch;
  beforeEach(() => {
    vi.useFakeTimers();
    got = [];
    batch = new OutputBatch((d) => got.push(d), { windows: { first: 2, last: 8 }, maxChars: 16 });
  });
  afterEach(() => {
    batch.close();
    vi.useRealTimers();
  });

  it("delivers the first piece of a quiet console at once, before any timer fires", () => {
    batch.push("a");
    expect(got).toEqual(["a"]);
    expect(vi.getTimerCount()).toBe(1); // the window that gathers what follows
  });

  it("gathers what follows within the window into one delivery, in order", () => {
    batch.push("a");
    batch.push("b");
    batch.push("c");
    expect(got).toEqual(["a"]);
    vi.runOnlyPendingTimers();
    expect(got).toEqual(["a", "bc"]);
    batch.push("d"); // still busy: the previous window delivered something
    expect(got).toEqual(["a", "bc"]);
    vi.runOnlyPendingTimers();
    expect(got).toEqual(["a", "bc", "d"]);
  });

  it("lets each busy window grow, up to the last, and starts short again after a quiet one", () => {
    const windows: number[] = [];
    batch.push("a");
    for (let i = 0; i < 5; i++) {
      batch.push("b");
      const before = Date.now();
      vi.runOnlyPendingTimers();
      windows.push(Date.now() - before); // fake time: how long the window was set to be
    }
    expect(windows).toEqual([2, 4, 8, 8, 8]);
    vi.runOnlyPendingTimers(); // quiet
    batch.push("c");
    expect(got.at(-1)).toBe("c");
    batch.push("d");
    const before = Date.now();
    vi.runOnlyPendingTimers();
    expect(Date.now() - before).toBe(2);
  });

  it("goes back to delivering at once after a window with nothing in it", () => {
    batch.push("a");
    vi.runOnlyPendingTimers(); // a quiet window
    expect(vi.getTimerCount()).toBe(0);
    batch.push("b");
    expect(got).toEqual(["a", "b"]);
  });

  it("sends the echo of input at once even while the console is busy, after what came before it", () => {
    batch.push("a");
    batch.push("b");
    batch.inputSent();
    batch.push("x");
    expect(got).toEqual(["a", "bx"]);
    batch.push("c"); // only the first piece after the input skips the window
    expect(got).toEqual(["a", "bx"]);
    vi.runOnlyPendingTimers();
    expect(got).toEqual(["a", "bx", "c"]);
  });

  it("delivers a batch that reached its size at once", () => {
    batch.push("a");
    batch.push("0123456789");
    expect(got).toEqual(["a"]);
    batch.push("0123456789");
    expect(got).toEqual(["a", "01234567890123456789"]);
  });

  it("delivers a piece that ends what the console has to say (a prompt) at once, with what came before", () => {
    const b = new OutputBatch((d) => got.push(d), { endsBatch: (piece) => piece.endsWith("# ") });
    b.push("a");
    b.push("b");
    b.push("/ # ");
    expect(got).toEqual(["a", "b/ # "]);
    b.close();
  });

  it("flushes on demand and on close, and delivers nothing after close", () => {
    batch.push("a");
    batch.push("b");
    batch.flush();
    expect(got).toEqual(["a", "b"]);
    batch.push("c");
    batch.close();
    expect(got).toEqual(["a", "b", "c"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("loses, repeats and reorders nothing, whatever the pieces, input and timers", () => {
    fc.assert(
      fc.property(opSequences, (ops) => {
        const out: string[] = [];
        const b = new OutputBatch((d) => out.push(d), { windows: { first: 2, last: 8 }, maxChars: 16 });
        let pushed = "";
        for (const o of ops) {
          if ("push" in o) {
            const quiet = vi.getTimerCount() === 0;
            b.push(o.push);
            pushed += o.push;
            // A quiet console's piece is never held back.
            if (quiet && o.push) expect(out.join("")).toBe(pushed);
          } else if ("input" in o) b.inputSent();
          else if ("tick" in o) vi.runOnlyPendingTimers();
          else b.flush();
          expect(pushed.startsWith(out.join(""))).toBe(true);
        }
        b.close();
        expect(out.join("")).toBe(pushed);
        expect(out.every((d) => d.length > 0)).toBe(true);
        expect(vi.getTimerCount()).toBe(0);
      }),
    );
  });

  describe("holding the pty while a window gathers", () => {
    /** A pty that is readable unless held; counts what the batch did to it. */
    const fakePty = () => {
      const pty = { held: false, pauses: 0, nudges: 0 };
      const hold = {
        pause: () => {
          expect(pty.held).toBe(false);
          pty.held = true;
          pty.pauses++;
        },
        resume: () => {
          expect(pty.held).toBe(true);
          pty.held = false;
        },
        nudge: () => void pty.nudges++,
      };
      return { pty, hold };
    };

    it("delivers a quiet console's piece at once, holds the pty for the window, and always resumes it", () => {
      const { pty, hold } = fakePty();
      const b = new OutputBatch((d) => got.push(d), { windows: { first: 2, last: 8 }, hold });
      b.push("a");
      expect(got).toEqual(["a"]);
      expect(pty.held).toBe(true);
      vi.runOnlyPendingTimers(); // the window ends: reading goes on
      expect(pty.held).toBe(false);
      b.push("bcd"); // what waited in the pty, read as one piece: delivered at once, next window held
      expect(got).toEqual(["a", "bcd"]);
      expect(pty.held).toBe(true);
      const before = Date.now();
      vi.runOnlyPendingTimers();
      expect(Date.now() - before).toBe(4); // still busy: the window grew
      expect(pty.held).toBe(false);
      b.close();
      expect(pty.held).toBe(false);
    });

    it("reads at once when input is sent, so the echo is not held", () => {
      const { pty, hold } = fakePty();
      const b = new OutputBatch((d) => got.push(d), { windows: { first: 2, last: 8 }, hold });
      b.push("a");
      expect(pty.held).toBe(true);
      b.inputSent();
      expect(pty.held).toBe(false);
      b.push("x");
      expect(got).toEqual(["a", "x"]);
      b.close();
    });

    it("reads the held pty on demand (readiness), gathering what it gives into the window's batch", () => {
      const { pty, hold } = fakePty();
      const b = new OutputBatch((d) => got.push(d), { windows: { first: 2, last: 8 }, hold });
      b.push("a");
      expect(pty.held).toBe(true);
      b.readNow();
      expect(pty.held).toBe(false);
      b.push("b");
      expect(got).toEqual(["a"]); // not an echo: it waits for the window, or for a flush
      b.flush();
      expect(got).toEqual(["a", "b"]);
      b.close();
    });

    it("does not hold a console printing too much for the pty to keep, and wakes its kernel after a full read", () => {
      const { pty, hold } = fakePty();
      const b = new OutputBatch((d) => got.push(d), { windows: { first: 2, last: 8 }, maxChars: 1 << 20, hold });
      b.push("a");
      vi.runOnlyPendingTimers();
      b.push("y".repeat(FULL_READ_CHARS)); // a full read after a held window: more may wait, the kernel may wait for room
      expect(pty.nudges).toBe(1);
      expect(pty.held).toBe(false);
      b.push("y".repeat(HOLD_MAX_CHARS)); // gathered, not held
      vi.runOnlyPendingTimers();
      expect(pty.held).toBe(false); // that window was too full to hold the next
      expect(pty.pauses).toBe(1);
      b.close();
    });

    it("after a held window, reads on until a read is small (the pty drained) before holding again", () => {
      const { pty, hold } = fakePty();
      const b = new OutputBatch((d) => got.push(d), { windows: { first: 2, last: 8 }, maxChars: 1 << 20, hold });
      b.push("a");
      expect(pty.held).toBe(true);
      vi.runOnlyPendingTimers(); // the held window ends
      b.push("y".repeat(HOLD_READ_CHARS)); // what waited, as much as a read takes: more may wait
      expect(pty.held).toBe(false);
      b.push("y".repeat(HOLD_READ_CHARS)); // still behind
      vi.runOnlyPendingTimers();
      expect(pty.held).toBe(false); // the window ended on a large read: not held
      b.push("yy"); // caught up: the pty has only the kernel's latest piece
      vi.runOnlyPendingTimers();
      expect(pty.held).toBe(true);
      expect(pty.pauses).toBe(2);
      b.close();
      expect(pty.held).toBe(false);
      expect(got.join("")).toBe("a" + "y".repeat(2 * HOLD_READ_CHARS + 2));
    });

    it("loses, repeats and reorders nothing and never leaves the pty held, whatever the pieces, input and timers", () => {
      fc.assert(
        fc.property(opSequences, (ops) => {
          const { pty, hold } = fakePty();
          const out: string[] = [];
          const b = new OutputBatch((d) => out.push(d), { windows: { first: 2, last: 8 }, maxChars: 16, hold });
          let pushed = "";
          for (const o of ops) {
            if ("push" in o) {
              if (pty.held) continue; // a held pty is not read
              b.push(o.push);
              pushed += o.push;
            } else if ("input" in o) b.inputSent();
            else if ("tick" in o) vi.runOnlyPendingTimers();
            else b.flush();
            // Held only while a window's timer runs: it always ends.
            if (pty.held) expect(vi.getTimerCount()).toBe(1);
            expect(pushed.startsWith(out.join(""))).toBe(true);
          }
          b.close();
          expect(pty.held).toBe(false);
          expect(out.join("")).toBe(pushed);
          expect(vi.getTimerCount()).toBe(0);
        }),
      );
    });
  });
});
