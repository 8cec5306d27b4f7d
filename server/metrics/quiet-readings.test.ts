import { describe, expect, it } from "vitest";
import { QuietReadings } from "./quiet-readings";

const report = { memTotalKiB: 48_000, memUsedKiB: 6_000, load1: 0.01 };
const reading = { hostMemKiB: 21_000, report };

describe("QuietReadings", () => {
  it("serves a reading again while the guest holds still, and no longer than maxAge reads", () => {
    const q = new QuietReadings(3, 2, 256);
    q.next();
    expect(q.reuse("g", 42, 100, 20_000)).toBeNull(); // never read
    q.keep("g", 42, 100, 20_000, reading);
    q.next();
    expect(q.reuse("g", 42, 101, 20_000)).toEqual(reading);
    q.next();
    // The RAM read this tick counts: the kernel's own memory is what is kept.
    expect(q.reuse("g", 42, 102, 20_100)).toEqual({ hostMemKiB: 21_100, report });
    q.next();
    expect(q.reuse("g", 42, 102, 20_000)).toBeNull(); // three reads old: read afresh
  });

  it("reads afresh a guest that used CPU since its reading, counted from the reading", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("g", 42, 100, 20_000, reading);
    q.next();
    expect(q.reuse("g", 42, 103, 20_000)).toBeNull();
    // Little CPU per tick still adds up: 1 + 1 + 1 since the reading is more than 2.
    q.keep("g", 42, 103, 20_000, { hostMemKiB: 22_000, report });
    for (const ticks of [104, 105]) {
      q.next();
      expect(q.reuse("g", 42, ticks, 20_000)?.hostMemKiB).toBe(22_000);
    }
    q.next();
    expect(q.reuse("g", 42, 106, 20_000)).toBeNull();
  });

  it("reads afresh a guest that touched guest RAM, however little CPU it used", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("g", 42, 100, 20_000, reading);
    q.next();
    expect(q.reuse("g", 42, 101, 20_000 + 8 * 1024)).toBeNull(); // 8 MiB of tmpfs in a tick
    expect(q.reuse("g", 42, 101, 20_000 - 256)).toBeNull();
    expect(q.reuse("g", 42, 101, 20_255)).toEqual({ hostMemKiB: 21_255, report });
  });

  it("never gives a reading to another process, a counter that went back, or a guest that did not answer", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("g", 42, 100, 20_000, reading);
    q.next();
    expect(q.reuse("g", 43, 100, 20_000)).toBeNull(); // restarted: a new kernel
    expect(q.reuse("g", 42, 99, 20_000)).toBeNull(); // a member left the group
    q.keep("g", 42, 100, 20_000, null);
    q.next();
    expect(q.reuse("g", 42, 100, 20_000)).toBeNull();
    q.keep("g", 42, 100, 20_000, reading);
    q.forget("g"); // booting again in the same process (UML re-executes itself)
    expect(q.reuse("g", 42, 100, 20_000)).toBeNull();
  });

  it("forgets guests it is not told to keep", () => {
    const q = new QuietReadings(10, 2, 256);
    q.next();
    q.keep("a", 1, 0, 1, reading);
    q.keep("b", 2, 0, 1, reading);
    q.retain(new Set(["a"]));
    q.next();
    expect(q.reuse("a", 1, 0, 1)).not.toBeNull();
    expect(q.reuse("b", 2, 0, 1)).toBeNull();
  });
});
