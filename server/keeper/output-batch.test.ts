import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OutputBatch } from "./output-batch";

// Fake timers: each test says which timer has fired (an event), never how long anything took.
// A window ends with its timer and then the turn's setImmediate (what waited is read first).
const endWindow = () => {
  vi.runOnlyPendingTimers();
  vi.runOnlyPendingTimers();
};

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
    endWindow();
    expect(got).toEqual(["a", "bc"]);
    batch.push("d"); // still busy: the previous window delivered something
    expect(got).toEqual(["a", "bc"]);
    endWindow();
    expect(got).toEqual(["a", "bc", "d"]);
  });

  it("lets each busy window grow, up to the last, and starts short again after a quiet one", () => {
    const timeouts = vi.spyOn(globalThis, "setTimeout");
    const windows = () => timeouts.mock.calls.map((c) => c[1]);
    batch.push("a");
    for (let i = 0; i < 5; i++) {
      batch.push("b");
      endWindow();
    }
    expect(windows()).toEqual([2, 4, 8, 8, 8, 8]); // the last one is still open
    endWindow(); // quiet
    batch.push("c");
    expect(got.at(-1)).toBe("c");
    expect(windows().at(-1)).toBe(2);
    timeouts.mockRestore();
  });

  it("goes back to delivering at once after a window with nothing in it", () => {
    batch.push("a");
    endWindow(); // a quiet window
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
    endWindow();
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

  it("stops reading the source while a window gathers, and reads again at its end, on input and on close", () => {
    const holds: boolean[] = [];
    const b = new OutputBatch((d) => got.push(d), { holdReads: (h) => holds.push(h) });
    b.push("a");
    expect(holds).toEqual([true]);
    vi.runOnlyPendingTimers(); // the window's timer: reading restarts before the window is judged
    expect(holds).toEqual([true, false]);
    b.push("b"); // read as the window is judged: still this window's
    expect(got).toEqual(["a"]);
    vi.runOnlyPendingTimers();
    expect(got).toEqual(["a", "b"]);
    expect(holds).toEqual([true, false, true]); // busy: the next window holds again
    b.inputSent();
    expect(holds.at(-1)).toBe(false);
    b.close();
    expect(holds.at(-1)).toBe(false);
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
    type Op = { push: string } | { input: true } | { tick: true } | { flush: true };
    const op = fc.oneof(
      fc.string({ maxLength: 20 }).map((push): Op => ({ push })),
      fc.constant<Op>({ input: true }),
      fc.constant<Op>({ tick: true }),
      fc.constant<Op>({ flush: true }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
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
          else if ("tick" in o) endWindow();
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
});
