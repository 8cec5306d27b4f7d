import { describe, expect, it } from "vitest";
import { sparklinePath } from "./sparkline-path";

/** The points of a path's segments, as numbers. */
const points = (segments: string[]) =>
  segments.map((d) =>
    d
      .slice(1)
      .split("L")
      .map((p) => p.split(",").map(Number)),
  );

describe("sparkline path", () => {
  it("draws a point per value when they fit, the top at y 1 and zero at the bottom", () => {
    expect(sparklinePath([0, 50, 100], 100, 64, 14)).toEqual(["M0,13L32,7L64,1"]);
  });

  it("leaves a gap for nulls", () => {
    expect(sparklinePath([10, null, 10, 10], 10, 60, 14)).toEqual(["M0,1", "M40,1L60,1"]);
  });

  it("draws at most one point per pixel column, keeping a spike", () => {
    const values = Array.from({ length: 120 }, (_, i) => (i === 77 ? 100 : 2));
    const [line] = points(sparklinePath(values, 100, 64, 14));
    expect(line).toHaveLength(65);
    expect(line.map(([x]) => x)).toEqual(Array.from({ length: 65 }, (_, i) => i));
    expect(line.filter(([, y]) => y === 1)).toHaveLength(1); // the spike, at the top
    expect(line.at(-1)).toEqual([64, 12.8]);
  });

  it("keeps a gap that covers whole columns when values are bucketed", () => {
    const values = Array.from({ length: 120 }, (_, i) => (i >= 40 && i < 60 ? null : 5));
    const segments = sparklinePath(values, 10, 64, 14);
    expect(segments).toHaveLength(2);
    const [before, after] = points(segments);
    expect(before.at(-1)![0]).toBeLessThan(after[0][0] - 1);
  });
});
