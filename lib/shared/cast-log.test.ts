import { describe, expect, it } from "vitest";
import { CastLogError, parseCastLog, stepsUntil } from "./cast-log";

const header = JSON.stringify({ version: 2, width: 100, height: 30, timestamp: 1 });
const line = (...e: unknown[]) => JSON.stringify(e);

describe("parseCastLog", () => {
  it("keeps each event's time and their order", () => {
    const text = [
      header,
      line(0.1, "o", "Linux "),
      line(0.2, "o", "version 6.1\r\n"),
      line(0.3, "m", "ready"),
      line(0.4, "r", "120x40"),
      line(0.5, "o", "/ # "),
      "",
    ].join("\n");
    expect(parseCastLog(text)).toEqual({
      width: 100,
      height: 30,
      skipped: 0,
      duration: 0.5,
      steps: [
        { type: "write", at: 0.1, data: "Linux " },
        { type: "write", at: 0.2, data: "version 6.1\r\n" },
        { type: "resize", at: 0.4, cols: 120, rows: 40 },
        { type: "write", at: 0.5, data: "/ # " },
      ],
    });
  });

  it("replays up to a moment, joining output between resizes, and on from there", () => {
    const text = [
      header,
      line(0.1, "o", "a"),
      line(0.2, "o", "b"),
      line(0.3, "r", "120x40"),
      line(0.4, "o", "c"),
      line(0.5, "o", "d"),
    ].join("\n");
    const { steps } = parseCastLog(text);
    expect(stepsUntil(steps, 0)).toEqual({ steps: [], next: 0 });
    expect(stepsUntil(steps, 0.2)).toEqual({ steps: [{ type: "write", at: 0.1, data: "ab" }], next: 2 });
    const first = stepsUntil(steps, 0.45);
    expect(first.steps).toEqual([
      { type: "write", at: 0.1, data: "ab" },
      { type: "resize", at: 0.3, cols: 120, rows: 40 },
      { type: "write", at: 0.4, data: "c" },
    ]);
    expect(stepsUntil(steps, Infinity, first.next)).toEqual({
      steps: [{ type: "write", at: 0.5, data: "d" }],
      next: 5,
    });
    // The joined steps are copies: replaying again starts from the log as it was.
    expect(steps[0]).toEqual({ type: "write", at: 0.1, data: "a" });
  });

  it("skips a line cut short at the end of a log still being written", () => {
    const text = [header, line(0.1, "o", "ok"), '[0.2, "o", "cut sh'].join("\n");
    const log = parseCastLog(text);
    expect(log.steps).toEqual([{ type: "write", at: 0.1, data: "ok" }]);
    expect(log.skipped).toBe(1);
  });

  it("keeps escape sequences (colours) intact", () => {
    const text = [header, line(0.1, "o", "\u001b[1;31mred\u001b[0m")].join("\n");
    expect(parseCastLog(text).steps).toEqual([{ type: "write", at: 0.1, data: "\u001b[1;31mred\u001b[0m" }]);
  });

  it("refuses something that is not asciicast v2", () => {
    expect(() => parseCastLog("hello")).toThrow(CastLogError);
    expect(() => parseCastLog(JSON.stringify({ version: 1 }))).toThrow(/version 1/);
  });

  it("falls back to 80x24 without a usable size", () => {
    const log = parseCastLog(JSON.stringify({ version: 2 }));
    expect([log.width, log.height]).toEqual([80, 24]);
  });
});
