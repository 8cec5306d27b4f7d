import { describe, expect, it } from "vitest";
import { CPU_WINDOW_MS } from "./consolidation";
import type { GuestSampleView, HostSampleView, MetricsSampleEvent } from "./protocol";
import { appendRecent, recentCpuAverages, recentForGuests, recentFromRows } from "./recent-samples";

const T = Date.UTC(2026, 10, 29, 10);
const iso = (t: number) => new Date(t).toISOString();

function tick(t: number, guests: Array<[string, number]>): MetricsSampleEvent {
  return {
    at: iso(t),
    previousAt: null,
    host: { at: iso(t) } as HostSampleView,
    guests: guests.map(([guestId, cpuPct]) => ({ guestId, at: iso(t), cpuPct, hostMemKiB: 2048 }) as GuestSampleView),
  };
}

describe("recent samples", () => {
  const rows = [
    { guestId: "a", at: new Date(T), cpuPct: 10, hostMemKiB: 1024 },
    { guestId: "a", at: new Date(T + 5000), cpuPct: 20, hostMemKiB: 2048 },
    { guestId: "b", at: new Date(T + 5000), cpuPct: 1, hostMemKiB: 512 },
    { guestId: "x", at: new Date(T + 7000), cpuPct: 99, hostMemKiB: 512 }, // not a tick: ignored
  ];
  const base = recentFromRows([T, T + 5000], rows);

  it("lines stored rows up on the ticks", () => {
    expect(base).toEqual({
      ticks: [T, T + 5000],
      cpu: { a: [10, 20], b: [null, 1] },
      mem: { a: [1, 2], b: [null, 0.5] },
    });
    expect(recentCpuAverages(base)).toEqual(
      new Map([
        ["a", 15],
        ["b", 1],
      ]),
    );
  });

  it("appends ticks and forgets what left the window, and guests with nothing left", () => {
    const next = appendRecent(base, tick(T + 10_000, [["b", 3]]));
    expect(next.cpu).toEqual({ a: [10, 20, null], b: [null, 1, 3] });
    const later = appendRecent(next, tick(T + 5000 + CPU_WINDOW_MS, [["c", 7]]));
    expect(later.ticks).toEqual([T + 10_000, T + 5000 + CPU_WINDOW_MS]);
    expect(later.cpu).toEqual({ b: [3, null], c: [null, 7] });
    expect(later.mem.c).toEqual([null, 2]);
  });

  it("keeps each figure to two decimals, stored or live", () => {
    const stored = recentFromRows([T], [{ guestId: "a", at: new Date(T), cpuPct: 1 / 3, hostMemKiB: 1000 }]);
    expect(stored.cpu.a).toEqual([0.33]);
    expect(stored.mem.a).toEqual([0.98]);
    const live = appendRecent(stored, {
      ...tick(T + 5000, [["a", 2 / 3]]),
      guests: [{ guestId: "a", at: iso(T + 5000), cpuPct: 2 / 3, hostMemKiB: 3000 } as GuestSampleView],
    });
    expect(live.cpu.a).toEqual([0.33, 0.67]);
    expect(live.mem.a).toEqual([0.98, 2.93]);
  });

  it("ignores a tick it already has", () => {
    expect(appendRecent(base, tick(T + 5000, [["a", 50]]))).toBe(base);
  });
});

describe("recentForGuests", () => {
  it("keeps only the named guests' series and every tick", () => {
    const r = { ticks: [1, 2], cpu: { a: [1, 2], b: [3, 4] }, mem: { a: [5, 6], b: [7, 8] } };
    expect(recentForGuests(r, ["b", "missing"])).toEqual({ ticks: [1, 2], cpu: { b: [3, 4] }, mem: { b: [7, 8] } });
  });
});
