import { describe, expect, it } from "vitest";
import { ConsoleRing, packItems } from "./console-ring";

describe("ConsoleRing", () => {
  it("numbers output and boot markers and replays what came after a number", () => {
    const r = new ConsoleRing(1000);
    r.append("a");
    r.append({ boot: 2 });
    r.append("bc");
    expect(r.endSeq).toBe(3);
    expect(r.since(1)!.map((e) => e.item)).toEqual([{ boot: 2 }, "bc"]);
    expect(r.since(3)).toEqual([]);
    expect(r.since(0)!.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("holds at most its limit, dropping the oldest, and says when a request reaches into the dropped part", () => {
    const r = new ConsoleRing(10);
    for (let i = 0; i < 100; i++) r.append("xyz");
    expect(r.chars).toBeLessThanOrEqual(10);
    expect(r.startSeq).toBe(98);
    expect(r.since(97)!.map((e) => e.seq)).toEqual([98, 99, 100]);
    expect(r.since(96)).toBeNull();
  });

  it("keeps the newest entry even when it alone exceeds the limit", () => {
    const r = new ConsoleRing(4);
    r.append("ab");
    r.append("0123456789");
    expect(r.since(1)!.map((e) => e.item)).toEqual(["0123456789"]);
  });

  it("stays correct across internal compaction", () => {
    const r = new ConsoleRing(50);
    for (let i = 1; i <= 5000; i++) r.append(String(i % 10));
    expect(r.endSeq).toBe(5000);
    expect(
      r
        .since(4990)!
        .map((e) => e.item)
        .join(""),
    ).toBe("1234567890");
    expect(r.chars).toBe(50);
  });

  it("packs adjacent output, keeping boot markers in place", () => {
    const r = new ConsoleRing(100);
    for (const item of ["a", "b", { boot: 3 }, "c", "d"]) r.append(item);
    expect(packItems(r.since(0)!)).toEqual(["ab", { boot: 3 }, "cd"]);
  });
});
