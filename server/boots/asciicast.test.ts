import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { castOutput, encodeCastEvent, parseCast } from "./asciicast";
import { BootLog } from "./boot-log";

describe("asciicast", () => {
  it("round-trips escape sequences, unicode and quotes", () => {
    const data = '\u001b[1;32mok\u001b[0m "é" ✓\r\n\t\\';
    const line = encodeCastEvent(1.2345678, "o", data);
    expect(line.endsWith("\n")).toBe(true);
    expect(JSON.parse(line)).toEqual([1.234568, "o", data]);
  });

  it("drops a last line cut short and keeps everything before it", () => {
    const text = '{"version":2,"width":80,"height":24,"timestamp":0}\n[0.1,"o","a"]\n[0.2,"o","b"]\n[0.3,"o","c';
    expect(castOutput(parseCast(text).events)).toBe("ab");
  });

  it("rejects a file that is not asciicast v2", () => {
    expect(() => parseCast('{"version":1}\n')).toThrow(/asciicast v2/);
  });
});

describe("BootLog", () => {
  it("records output with relative times, resizes and markers, and counts output bytes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootlog-"));
    const file = path.join(dir, "1.cast");
    const t0 = 1_700_000_000_000;
    const log = new BootLog(file, { cols: 80, rows: 24 }, "g — boot 1", t0);
    log.output("héllo\r\n", t0 + 250);
    log.resize(100, 30, t0 + 500);
    log.marker("ready", t0 + 750);
    log.output("✓", t0 + 1000);
    log.close();
    log.output("after close is ignored", t0 + 2000);
    const { header, events } = parseCast(fs.readFileSync(file, "utf8"));
    expect(header).toMatchObject({ version: 2, width: 80, height: 24, timestamp: 1_700_000_000, title: "g — boot 1" });
    expect(events).toEqual([
      [0.25, "o", "héllo\r\n"],
      [0.5, "r", "100x30"],
      [0.75, "m", "ready"],
      [1, "o", "✓"],
    ]);
    expect(log.bytes).toBe(Buffer.byteLength("héllo\r\n✓"));
    fs.rmSync(dir, { recursive: true });
  });

  it("never overwrites an existing log", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootlog-"));
    const file = path.join(dir, "1.cast");
    fs.writeFileSync(file, "precious");
    expect(() => new BootLog(file, { cols: 80, rows: 24 }, "t")).toThrow(/EEXIST/);
    expect(fs.readFileSync(file, "utf8")).toBe("precious");
    fs.rmSync(dir, { recursive: true });
  });
});
