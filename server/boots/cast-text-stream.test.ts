import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { castOutput, encodeCastEvent, encodeCastHeader, parseCast } from "./asciicast";
import { castTextStream } from "./cast-text-stream";

const cast =
  encodeCastHeader({ version: 2, width: 80, height: 24, timestamp: 0 }) +
  encodeCastEvent(0.1, "o", "Linux version 7\r\n") +
  encodeCastEvent(0.2, "i", "typed, not printed") +
  encodeCastEvent(0.3, "o", "héllo — ünïcode ✓\r\n") +
  encodeCastEvent(0.4, "r", "100x30") +
  encodeCastEvent(0.5, "o", '"quoted" \\ and \u001b[1mescapes\u001b[0m');

/** The cast split into chunks of `size` bytes (cutting lines and UTF-8 sequences anywhere). */
async function streamed(bytes: Buffer, size: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return text(Readable.from(chunks).pipe(castTextStream()));
}

describe("castTextStream", () => {
  it("gives the console output exactly as parsing the whole log does, however the bytes are chunked", async () => {
    const expected = castOutput(parseCast(cast).events);
    for (const size of [1, 2, 3, 7, 64, 4096]) expect(await streamed(Buffer.from(cast), size)).toBe(expected);
  });

  it("drops a last line cut short, as a writer that died mid-line leaves it", async () => {
    const cut = cast + encodeCastEvent(0.6, "o", "never finished").slice(0, 12);
    expect(await streamed(Buffer.from(cut), 5)).toBe(castOutput(parseCast(cast).events));
  });

  it("skips a damaged line in the middle and keeps going", async () => {
    const lines = cast.split("\n");
    lines.splice(2, 0, '[0.15, "o", "broken');
    const out = await streamed(Buffer.from(lines.join("\n")), 9);
    expect(out).toBe(castOutput(parseCast(cast).events));
  });
});
