import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BootDeadline, type BootMiss } from "./boot-deadline";

describe("BootDeadline", () => {
  let misses: BootMiss[];
  let deadline: BootDeadline;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    misses = [];
    deadline = new BootDeadline({ silenceMs: 60_000, limitMs: 900_000 }, (m) => misses.push(m));
  });
  afterEach(() => {
    deadline.clear();
    vi.useRealTimers();
  });

  it("ends a boot whose console is silent for the timeout", () => {
    deadline.arm(Date.now());
    vi.advanceTimersByTime(59_999);
    expect(misses).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(misses).toEqual(["silent"]);
  });

  it("counts the silence from the last output, however long the boot has run", () => {
    deadline.arm(Date.now());
    for (let s = 0; s < 300; s += 30) {
      vi.advanceTimersByTime(30_000);
      deadline.heard();
    }
    expect(misses).toEqual([]);
    vi.advanceTimersByTime(59_000);
    expect(misses).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(misses).toEqual(["silent"]);
  });

  it("ends a boot at the limit even while it prints", () => {
    deadline.arm(Date.now());
    for (let s = 0; s < 899; s++) {
      vi.advanceTimersByTime(1_000);
      deadline.heard();
    }
    expect(misses).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(misses).toEqual(["limit"]);
  });

  it("counts the limit from when the boot began, and the silence from when it was armed", () => {
    // An adopted boot began 899 s ago: one second left, whatever it printed before.
    deadline.arm(Date.now() - 899_000);
    vi.advanceTimersByTime(1_000);
    expect(misses).toEqual(["limit"]);
  });

  it("fires nothing once cleared, and once only when it misses", () => {
    deadline.arm(Date.now());
    deadline.clear();
    vi.advanceTimersByTime(2_000_000);
    expect(misses).toEqual([]);
    deadline.arm(Date.now());
    vi.advanceTimersByTime(2_000_000);
    expect(misses).toEqual(["silent"]);
  });
});
