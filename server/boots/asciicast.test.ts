import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { castFileOutputBytes, castOutput, encodeCastEvent, parseCast, TRUNCATED_MARKER } from "./asciicast";
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
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const scratch = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootlog-"));
    dirs.push(dir);
    return path.join(dir, "1.cast");
  };
  const t0 = 1_700_000_000_000;
  const size = { cols: 80, rows: 24 };

  it("records output with relative times, resizes and markers, and counts output bytes", () => {
    const file = scratch();
    const log = new BootLog(file, { size, title: "g — boot 1", startedAt: t0 });
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
  });

  it("joins output arriving within a few milliseconds into one event, timed at its first byte", () => {
    const file = scratch();
    const log = new BootLog(file, { size, title: "t", startedAt: t0, coalesceMs: 5 });
    for (const [i, piece] of ["Lin", "ux v", "ersi", "on\r\n"].entries()) log.output(piece, t0 + 100 + i);
    log.output("later", t0 + 200);
    log.close();
    expect(parseCast(fs.readFileSync(file, "utf8")).events).toEqual([
      [0.1, "o", "Linux version\r\n"],
      [0.2, "o", "later"],
    ]);
  });

  it("writes an event per piece when not coalescing", () => {
    const file = scratch();
    const log = new BootLog(file, { size, title: "t", startedAt: t0, coalesceMs: null });
    log.output("a", t0 + 1);
    log.output("b", t0 + 1);
    log.close();
    expect(parseCast(fs.readFileSync(file, "utf8")).events).toEqual([
      [0.001, "o", "a"],
      [0.001, "o", "b"],
    ]);
  });

  it("stops at its size limit with a marker and a visible line, keeping what fit", async () => {
    const file = scratch();
    const truncated: number[] = [];
    const maxBytes = 16 * 1024;
    const log = new BootLog(file, { size, title: "t", startedAt: t0, maxBytes, onTruncated: (n) => truncated.push(n) });
    let printed = "";
    for (let i = 0; i < 2000; i++) {
      const line = `line ${i} ✓ "quoted" \x1b[1mbold\x1b[0m\r\n`;
      printed += line;
      log.output(line, t0 + i * 10);
    }
    log.close();
    const text = fs.readFileSync(file, "utf8");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxBytes);
    expect(Buffer.byteLength(text)).toBeGreaterThan(maxBytes - 1024);
    const { events } = parseCast(text);
    const [marker, mark] = events.slice(-2);
    expect(marker).toEqual([expect.any(Number), "m", TRUNCATED_MARKER]);
    expect(mark[1]).toBe("o");
    expect(mark[2]).toMatch(/log truncated here .* 16 KiB limit \(CORRAL_BOOT_LOG_MAX_MIB\)\. The guest kept running/);
    const recorded = castOutput(events.slice(0, -2));
    expect(printed.startsWith(recorded)).toBe(true);
    expect(log.truncated).toBe(true);
    expect(truncated).toEqual([Buffer.byteLength(recorded)]);
    expect(log.bytes).toBe(Buffer.byteLength(recorded));
    expect(await castFileOutputBytes(file)).toBe(Buffer.byteLength(recorded));
  });

  it("never overwrites an existing log", () => {
    const file = scratch();
    fs.writeFileSync(file, "precious");
    expect(() => new BootLog(file, { size, title: "t" })).toThrow(/EEXIST/);
    expect(fs.readFileSync(file, "utf8")).toBe("precious");
  });
});
