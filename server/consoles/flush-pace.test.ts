import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COALESCE_MS, FlushPace } from "./flush-pace";

// The clock and the timers are fake: each step below says which turn or which millisecond a
// batch goes in, on any machine, however slow.
beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "performance"] }));
afterEach(() => void vi.useRealTimers());

/** A pace and the times (fake ms) its batches went at. */
function paced() {
  const sends: number[] = [];
  const pace = new FlushPace(() => sends.push(performance.now()));
  return { pace, sends };
}
const nextTurn = () => vi.advanceTimersByTime(0);

describe("FlushPace", () => {
  it("sends a quiet console's output in the next turn, everything of one turn as one batch", () => {
    const { pace, sends } = paced();
    pace.output("a");
    pace.output("b");
    expect(sends).toHaveLength(0);
    nextTurn();
    expect(sends).toHaveLength(1);
    vi.advanceTimersByTime(COALESCE_MS.last); // quiet again
    pace.output("c");
    nextTurn();
    expect(sends).toHaveLength(2);
  });

  it("gathers a busy console's output in windows that grow to the last and never longer", () => {
    const { pace, sends } = paced();
    // Output every millisecond for a second: the keeper's batches of a flood, and more.
    for (let t = 0; t < 1000; t++) {
      pace.output("x");
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(COALESCE_MS.last);
    const gaps = sends.slice(1).map((t, i) => t - sends[i]);
    expect(gaps[0]).toBe(COALESCE_MS.first);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]);
    expect(Math.max(...gaps)).toBe(COALESCE_MS.last);
    // A thousand pieces in about 1000 / last batches once the windows have grown.
    expect(sends.length).toBeLessThan(1000 / COALESCE_MS.last + 10);
  });

  it("sends what the console prints within a window after input at once, even while gathering", () => {
    const { pace, sends } = paced();
    for (let t = 0; t < 300; t++) {
      pace.output("x");
      vi.advanceTimersByTime(1);
    }
    pace.output("more of the flood");
    nextTurn();
    const before = sends.length;
    expect(sends.at(-1)).toBeLessThan(performance.now()); // still gathering
    pace.inputSent();
    // The tail of the last key's echo, or a flood's batch, may come first: the echo still goes at once.
    vi.advanceTimersByTime(COALESCE_MS.last / 2);
    expect(sends).toHaveLength(before + 1);
    pace.output("a"); // the echo
    nextTurn();
    expect(sends).toHaveLength(before + 2);
    expect(sends.at(-1)).toBe(performance.now());
    vi.advanceTimersByTime(COALESCE_MS.last / 2);
    // A window after the input the flood gathers again, in windows starting small.
    pace.output("b");
    nextTurn();
    expect(sends).toHaveLength(before + 3);
    vi.advanceTimersByTime(1);
    pace.output("c");
    nextTurn();
    expect(sends).toHaveLength(before + 3);
    vi.advanceTimersByTime(2 * COALESCE_MS.first);
    expect(sends).toHaveLength(before + 4);
  });

  it("sends output that ends at a prompt at once: a command's output is done", () => {
    const { pace, sends } = paced();
    for (let t = 0; t < 300; t++) {
      pace.output("x");
      vi.advanceTimersByTime(1);
    }
    const before = sends.length;
    pace.output("DONE\r\n/ # ");
    nextTurn();
    expect(sends).toHaveLength(before + 1);
    expect(sends.at(-1)).toBe(performance.now());
  });

  it("sends nothing after close", () => {
    const { pace, sends } = paced();
    pace.output("a");
    nextTurn();
    pace.output("b"); // gathering
    pace.close();
    vi.advanceTimersByTime(10 * COALESCE_MS.last);
    expect(sends).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
