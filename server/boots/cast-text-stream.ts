import { Transform, type TransformCallback } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { CastEvent } from "./asciicast";

// A line longer than this is not something the console recorder writes (it writes one
// event per chunk of output); it is skipped rather than held whole in memory.
const MAX_LINE_CHARS = 4 * 1024 * 1024;

/**
 * A boot log (asciicast v2) in, the console output alone out — as it streams, one chunk at
 * a time, so a log of any size is never held or parsed whole on the event loop. The header
 * line and input/resize events are dropped; a last line cut short (the writer died
 * mid-line) is dropped, as parseCast does; a damaged line in the middle is skipped.
 */
export function castTextStream(): Transform {
  const decoder = new StringDecoder("utf8");
  let partial = "";
  let header = true;
  let skipping = false;

  const emit = (line: string, push: (s: string) => void) => {
    if (header) {
      header = false;
      return;
    }
    if (!line) return;
    let event: CastEvent;
    try {
      event = JSON.parse(line) as CastEvent;
    } catch {
      return;
    }
    if (Array.isArray(event) && event[1] === "o" && typeof event[2] === "string") push(event[2]);
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      const text = decoder.write(chunk);
      let out = "";
      let start = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
        const line = partial + text.slice(start, nl);
        partial = "";
        start = nl + 1;
        if (skipping) skipping = false;
        else emit(line, (s) => (out += s));
      }
      if (!skipping) partial += text.slice(start);
      if (partial.length > MAX_LINE_CHARS) {
        partial = "";
        skipping = true;
      }
      done(null, out ? Buffer.from(out, "utf8") : undefined);
    },
    flush(done: TransformCallback) {
      // Whatever is left had no newline: kept if it is a whole event, dropped if cut short.
      let out = "";
      if (!skipping) emit(partial + decoder.end(), (s) => (out += s));
      done(null, out ? Buffer.from(out, "utf8") : undefined);
    },
  });
}
