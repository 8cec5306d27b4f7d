import { describe, expect, it } from "vitest";
import { appendStacked, chooseLayers, OTHER_KEY, stackByGuest } from "./stacked-series";

describe("stacked series", () => {
  const values = [
    { guestId: "a", t: 1, value: 10 },
    { guestId: "b", t: 1, value: 50 },
    { guestId: "b", t: 2, value: 40 },
  ];
  // c and d are not layers: their share is the rest of each tick's total.
  const ticks = [
    { t: 1, line: 70, total: 61 },
    { t: 2, line: 45, total: 42 },
  ];
  const averages = [
    { id: "a", name: "app", average: 5 },
    { id: "b", name: "batch", average: 45 },
    { id: "c", name: "cache", average: 0.5 },
    { id: "d", name: "db", average: 1 },
  ];

  it("gives the largest guests their own layer and puts the rest together", () => {
    const { layerGuests, others } = chooseLayers(averages, 2);
    const s = stackByGuest(values, ticks, layerGuests, others);
    expect(s.layers).toEqual([
      { key: "s0", label: "batch" },
      { key: "s1", label: "app" },
      { key: OTHER_KEY, label: "2 other guests" },
    ]);
    expect(s.points).toEqual([
      { t: 1, line: 70, s0: 50, s1: 10, other: 1 },
      { t: 2, line: 45, s0: 40, s1: 0, other: 2 },
    ]);
  });

  it("does not make an 'other' layer of a single guest", () => {
    const { layerGuests, others } = chooseLayers(averages, 3);
    expect(others).toBe(0);
    expect(layerGuests.map((g) => g.name)).toEqual(["batch", "app", "db", "cache"]);
  });

  it("appends live ticks, sending new guests to 'other' and dropping old points", () => {
    const s = stackByGuest(values, ticks, averages.slice(0, 2), 0);
    const next = appendStacked(
      s,
      3,
      99,
      [
        { guestId: "a", value: 5 },
        { guestId: "new", value: 7 },
      ],
      2,
    );
    expect(next.layers.at(-1)).toEqual({ key: OTHER_KEY, label: "other guests" });
    expect(next.points).toEqual([
      { t: 2, line: 45, s0: 0, s1: 40 },
      { t: 3, line: 99, s0: 5, s1: 0, other: 7 },
    ]);
    expect(appendStacked(next, 3, 1, [], 2)).toBe(next);
  });
});
