import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StallWatch } from "./stall-watch";

// Fake timers: each test says which timer has fired (an event), never how long anything took.
describe("StallWatch", () => {
  let wakes = 0;
  const opts = { quietMs: 40, maxNudges: 3, busyChars: 100 };
  beforeEach(() => {
    vi.useFakeTimers();
    wakes = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("wakes a busy console that went silent, a bounded number of times, each wait longer", () => {
    const w = new StallWatch(() => void wakes++, opts);
    w.seen(150);
    const t0 = Date.now();
    const at: number[] = [];
    while (vi.getTimerCount() > 0) {
      const before = wakes;
      vi.runOnlyPendingTimers();
      if (wakes > before) at.push(Date.now() - t0);
    }
    expect(wakes).toBe(3);
    expect(at).toEqual([40, 40 + 80, 40 + 80 + 160]);
  });

  it("does not wake a console that keeps printing, and wakes it once it stops", () => {
    const w = new StallWatch(() => void wakes++, opts);
    w.seen(150);
    for (let i = 0; i < 5; i++) {
      w.seen(10); // a batch in every period
      vi.runOnlyPendingTimers();
    }
    expect(wakes).toBe(0);
    vi.runOnlyPendingTimers(); // a period with no output
    expect(wakes).toBe(1);
    w.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never signals a console that printed little (an echo, a short answer)", () => {
    const w = new StallWatch(() => void wakes++, opts);
    w.seen(1);
    w.seen(50);
    expect(vi.getTimerCount()).toBe(0);
    vi.runAllTimers();
    expect(wakes).toBe(0);
  });

  it("starts over after output: a woken console that stalls again is woken again", () => {
    const w = new StallWatch(() => void wakes++, opts);
    w.seen(150);
    vi.runOnlyPendingTimers();
    expect(wakes).toBe(1);
    expect(w.seen(150)).toBe(true); // the nudge worked: it printed again
    vi.runAllTimers();
    expect(wakes).toBe(1 + 3);
    // Spent and silent: the stretch is over; a short piece afterwards arms nothing.
    expect(w.seen(1)).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops for good when the console is gone", () => {
    const w = new StallWatch(() => void wakes++, opts);
    w.seen(150);
    w.stop();
    vi.runAllTimers();
    expect(wakes).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
