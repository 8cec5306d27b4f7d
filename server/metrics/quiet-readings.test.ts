import { describe, expect, it } from "vitest";
import { QuietReadings } from "./quiet-readings";

const report = { memTotalKiB: 48_000, memUsedKiB: 6_000, load1: 0.01 };

describe("QuietReadings", () => {
  it("serves a report again while the guest holds still, and no longer than maxAge reads", () => {
    const q = new QuietReadings(3, 2, 256);
    q.next();
    expect(q.reuse("g", 42, 100, 20_000)).toBeNull(); // never asked
    q.keep("g", 42, 100, 20_000, report);
    q.next();
    expect(q.reuse("g", 42, 101, 20_000)).toEqual(report);
    q.next();
    expect(q.reuse("g", 42, 102, 20_100)).toEqual(report);
    q.next();
    expect(q.reuse("g", 42, 102, 20_000)).toBeNull(); // three reads old: ask afresh
  });

  it("asks afresh a guest that used CPU since its report, counted from the report", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("g", 42, 100, 20_000, report);
    q.next();
    expect(q.reuse("g", 42, 103, 20_000)).toBeNull();
    // Little CPU per tick still adds up: 1 + 1 + 1 since the report is more than 2.
    q.keep("g", 42, 103, 21_000, report);
    for (const ticks of [104, 105]) {
      q.next();
      expect(q.reuse("g", 42, ticks, 21_000)).toBe(report);
    }
    q.next();
    expect(q.reuse("g", 42, 106, 21_000)).toBeNull();
  });

  it("asks afresh a guest whose host memory moved, however little CPU it used", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("g", 42, 100, 20_000, report);
    q.next();
    expect(q.reuse("g", 42, 101, 20_000 + 8 * 1024)).toBeNull(); // 8 MiB touched in a tick
    expect(q.reuse("g", 42, 101, 20_000 - 300)).toBeNull(); // the kernel gave memory back
    expect(q.reuse("g", 42, 101, 20_255)).toBe(report);
  });

  it("never gives a report to another process, a counter that went back, or a guest that did not answer", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("g", 42, 100, 20_000, report);
    q.next();
    expect(q.reuse("g", 43, 100, 20_000)).toBeNull(); // restarted: a new kernel
    expect(q.reuse("g", 42, 99, 20_000)).toBeNull(); // a member left the group
    q.keep("g", 42, 100, 20_000, null);
    q.next();
    expect(q.reuse("g", 42, 100, 20_000)).toBeNull();
    q.keep("g", 42, 100, 20_000, report);
    q.forget("g"); // booting again in the same process (UML re-executes itself)
    expect(q.reuse("g", 42, 100, 20_000)).toBeNull();
  });

  it("forgets guests it is not told to keep", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("a", 1, 0, 1, report);
    q.keep("b", 2, 0, 1, report);
    q.retain(new Set(["a"]));
    q.next();
    expect(q.reuse("a", 1, 0, 1)).not.toBeNull();
    expect(q.reuse("b", 2, 0, 1)).toBeNull();
  });
});
