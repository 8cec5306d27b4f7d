import fs from "node:fs";
import readline from "node:readline";

// asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line, then
// one `[seconds, code, data]` line per event. What asciinema records and plays.
export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp: number;
  title?: string;
  env?: Record<string, string>;
}

export type CastEventCode = "o" | "i" | "r" | "m";
export type CastEvent = [seconds: number, code: CastEventCode, data: string];

export function encodeCastHeader(header: CastHeader): string {
  return JSON.stringify(header) + "\n";
}

export function encodeCastEvent(seconds: number, code: CastEventCode, data: string): string {
  // Microsecond precision is what asciinema writes; more only bloats the file.
  return JSON.stringify([Math.round(seconds * 1e6) / 1e6, code, data]) + "\n";
}

/**
 * Parses a cast file. A last line cut short (the daemon died mid-write) is dropped rather
 * than failing the whole log: everything before it is still good.
 */
export function parseCast(text: string): { header: CastHeader; events: CastEvent[] } {
  const lines = text.split("\n");
  const header = JSON.parse(lines[0]) as CastHeader;
  if (header.version !== 2) throw new Error(`not an asciicast v2 file (version ${header.version})`);
  const events: CastEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    try {
      events.push(JSON.parse(lines[i]) as CastEvent);
    } catch (err) {
      if (i === lines.length - 1) break;
      throw err;
    }
  }
  return { header, events };
}

/** The console output alone, as the guest printed it. */
export function castOutput(events: CastEvent[]): string {
  let out = "";
  for (const [, code, data] of events) if (code === "o") out += data;
  return out;
}

/** The marker event that ends a log cut at its size limit (server/boots/boot-log.ts). */
export const TRUNCATED_MARKER = "log truncated";

/**
 * Output bytes the guest printed into a cast file (what a boot record's logBytes counts),
 * read as a stream: a log can be large. Stops at a last line cut short and at the
 * truncation mark (what follows it is Corral's, not the guest's); 0 if unreadable.
 */
export async function castFileOutputBytes(file: string): Promise<number> {
  let bytes = 0;
  try {
    const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
    let header = true;
    for await (const line of lines) {
      if (header || !line) {
        header = false;
        continue;
      }
      const [, code, data] = JSON.parse(line) as CastEvent;
      if (code === "m" && data === TRUNCATED_MARKER) break;
      if (code === "o") bytes += Buffer.byteLength(data);
    }
  } catch {
    // missing, or a line cut short by a crash: what was counted stands
  }
  return bytes;
}
