// A recording's events, read one line at a time from the asciicast v2 text (no array of
// every line held at once). Lines that cannot be read are counted and skipped: a log cut
// short mid-line by a crash is still worth analysing up to there.
/** One asciicast v2 event, as the daemon records it (server/boots/asciicast.ts writes them). */
export type CastEvent = [seconds: number, code: "o" | "i" | "r" | "m", data: string];

export class CastFormatError extends Error {}

/** The header line's check: throws CastFormatError for anything but asciicast v2. */
export function readCastHeader(line: string): void {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    throw new CastFormatError("The boot log does not start with an asciicast header.");
  }
  const version = (header as { version?: unknown } | null)?.version;
  if (version !== 2) throw new CastFormatError(`The boot log is not asciicast v2 (version ${String(version)}).`);
}

/** Calls `onEvent` for every well-formed event line after the header; returns the number skipped. */
export function forEachCastEvent(text: string, onEvent: (event: CastEvent) => void): number {
  const headerEnd = text.indexOf("\n");
  readCastHeader(headerEnd < 0 ? text : text.slice(0, headerEnd));
  let skipped = 0;
  let at = headerEnd < 0 ? text.length : headerEnd + 1;
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    if (end > at) {
      const event = readCastEvent(text.slice(at, end));
      if (event) onEvent(event);
      else skipped++;
    }
    at = end + 1;
  }
  return skipped;
}

/** One event line; null when it cannot be read (cut short, not an event). */
export function readCastEvent(line: string): CastEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length < 3) return null;
  const [t, code, data] = value;
  if (typeof t !== "number" || !Number.isFinite(t) || typeof code !== "string" || typeof data !== "string") return null;
  return [t, code as CastEvent[1], data];
}
