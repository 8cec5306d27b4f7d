import { describe, expect, it } from "vitest";
import { CpuMeter } from "./cpu-meter";

describe("CpuMeter", () => {
  it("averages the first reading over the process's life, then measures between readings", () => {
    const m = new CpuMeter(100);
    // Started at t=100 s, used 5 s of CPU by t=110 s: 50 % of one core.
    expect(m.rate("g", 42, 500, 110, 100)).toBeCloseTo(50);
    // 2 s later it used 4 more seconds: two cores' worth.
    expect(m.rate("g", 42, 900, 112, 100)).toBeCloseTo(200);
    expect(m.rate("g", 42, 900, 117, 100)).toBe(0);
  });

  it("starts over when the origin changes, and never reports a negative rate", () => {
    const m = new CpuMeter(100);
    m.rate("g", 1, 10_000, 200, 0);
    expect(m.rate("g", 2, 100, 201, 200)).toBeCloseTo(100);
    expect(m.rate("g", 2, 50, 202, 200)).toBe(0);
  });

  it("forgets series it is not told to keep", () => {
    const m = new CpuMeter(100);
    m.rate("a", 1, 100, 10, 0);
    m.rate("b", 1, 100, 10, 0);
    m.retain(new Set(["a"]));
    expect(m.rate("a", 1, 200, 11, 0)).toBeCloseTo(100);
    expect(m.rate("b", 1, 200, 20, 0)).toBeCloseTo(10); // lifetime average again
  });
});
