import { describe, expect, it } from "vitest";
import { QuietReadings } from "./quiet-readings";

const report = { memTotalKiB: 48_000, memUsedKiB: 6_000, load1: 0.01 };

describe("QuietReadings", () => {
  it("serves a reading again while the guest holds still, and no longer than maxAge reads", () => {
    const q = new QuietReadings(3, 2);
    q.next();
    expect(q.reuse("g", 42, 100)).toBeNull(); // never read
    q.keep("g", 42, 100, 20_000, report);
    q.next();
    expect(q.reuse("g", 42, 101)).toEqual({ hostMemKiB: 20_000, report });
    q.next();
    expect(q.reuse("g", 42, 102)).toEqual({ hostMemKiB: 20_000, report });
    q.next();
    expect(q.reuse("g", 42, 102)).toBeNull(); // three reads old: read afresh
  });

  it("reads afresh a guest that used CPU since its reading, counted from the reading", () => {
    const q = new QuietReadings(10, 2);
    q.next();
    q.keep("g", 42, 100, 20_000, report);
    q.next();
    expect(q.reuse("g", 42, 103)).toBeNull();
    // Little CPU per tick still adds up: 1 + 1 + 1 since the reading is more than 2.
    q.keep("g", 42, 103, 21_000, report);
    for (const ticks of [104, 105]) {
      q.next();
      expect(q.reuse("g", 42, ticks)?.hostMemKiB).toBe(21_000);
    }
    q.next();
    expect(q.reuse("g", 42, 106)).toBeNull();
  });

  it("never gives a reading to another process, a counter that went back, or a guest that did not answer", () => {
    const q = new QuietReadings(10, 2);
    q.next();
    q.keep("g", 42, 100, 20_000, report);
    q.next();
    expect(q.reuse("g", 43, 100)).toBeNull(); // restarted: a new kernel
    expect(q.reuse("g", 42, 99)).toBeNull(); // a member left the group
    q.keep("g", 42, 100, 20_000, null);
    q.next();
    expect(q.reuse("g", 42, 100)).toBeNull();
  });

  it("forgets guests it is not told to keep", () => {
    const q = new QuietReadings(10, 2);
    q.next();
    q.keep("a", 1, 0, 1, report);
    q.keep("b", 2, 0, 1, report);
    q.retain(new Set(["a"]));
    q.next();
    expect(q.reuse("a", 1, 0)).not.toBeNull();
    expect(q.reuse("b", 2, 0)).toBeNull();
  });
});
