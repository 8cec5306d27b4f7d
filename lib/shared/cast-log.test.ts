import { describe, expect, it } from "vitest";
import { CastLogError, parseCastLog } from "./cast-log";

const header = JSON.stringify({ version: 2, width: 100, height: 30, timestamp: 1 });
const line = (...e: unknown[]) => JSON.stringify(e);

describe("parseCastLog", () => {
  it("merges output between resizes and keeps their order", () => {
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
      steps: [
        { type: "write", data: "Linux version 6.1\r\n" },
        { type: "resize", cols: 120, rows: 40 },
        { type: "write", data: "/ # " },
      ],
    });
  });

  it("skips a line cut short at the end of a log still being written", () => {
    const text = [header, line(0.1, "o", "ok"), '[0.2, "o", "cut sh'].join("\n");
    const log = parseCastLog(text);
    expect(log.steps).toEqual([{ type: "write", data: "ok" }]);
    expect(log.skipped).toBe(1);
  });

  it("keeps escape sequences (colours) intact", () => {
    const text = [header, line(0.1, "o", "\u001b[1;31mred\u001b[0m")].join("\n");
    expect(parseCastLog(text).steps).toEqual([{ type: "write", data: "\u001b[1;31mred\u001b[0m" }]);
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
