// `npm run bench:boot-analysis` — what re-parsing costs. Builds big recordings from the
// real Debian fixture (its events repeated until the output is ~20 MB) and two pathological
// ones (one 16 MB line with no line end; 2 MB of output a character per event), then times
// parseBoot against the baseline measured in the same run: reading the same text with
// parseCast (server/boots/asciicast.ts), what any use of a stored boot log costs anyway.
// Ends in bounded time (a fixed number of rounds); Ctrl-C stops it between rounds.
import fs from "node:fs/promises";
import path from "node:path";
import { median } from "../lib/shared/consolidation";
import { encodeCastEvent, encodeCastHeader, parseCast, type CastEvent } from "../server/boots/asciicast";
import { parseBoot } from "../lib/shared/boot-analysis";
import { FIXTURE_DIR } from "../lib/shared/boot-analysis/fixtures.test-support";
import { forEachCastEvent } from "../lib/shared/boot-analysis";

const ROUNDS = 5;
let stopping = false;
process.once("SIGINT", () => (stopping = true));
process.once("SIGTERM", () => (stopping = true));

function castText(events: Iterable<CastEvent>): string {
  let text = encodeCastHeader({ version: 2, width: 80, height: 24, timestamp: 0 });
  for (const [t, code, data] of events) text += encodeCastEvent(t, code, data);
  return text;
}

function* repeated(events: CastEvent[], targetBytes: number): Generator<CastEvent> {
  const span = events[events.length - 1][0] + 1;
  let bytes = 0;
  for (let round = 0; bytes < targetBytes; round++) {
    for (const [t, code, data] of events) {
      if (code === "m") continue;
      bytes += data.length;
      yield [t + round * span, code, data];
    }
  }
}

function* charByChar(bytes: number): Generator<CastEvent> {
  const line = "[  OK  ] Started x.service - X.\r\n";
  for (let i = 0; i < bytes; i++) yield [i / 1e5, "o", line[i % line.length]];
}

/** Milliseconds per call, over `reps` calls (small inputs need many to be measured at all). */
function time(reps: number, fn: () => void): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  const debian: CastEvent[] = [];
  forEachCastEvent(await fs.readFile(path.join(FIXTURE_DIR, "debian.cast"), "utf8"), (e) => debian.push(e));
  const cases: Array<[string, string]> = [
    ["Debian boot repeated to ~20 MB", castText(repeated(debian, 20 * 2 ** 20))],
    ["one 16 MB line, no line end", castText([[1, "o", "x".repeat(16 * 2 ** 20)]])],
    ["2 MB, one character per event", castText(charByChar(2 * 2 ** 20))],
  ];
  const files = (await fs.readdir(FIXTURE_DIR)).filter((f) => f.endsWith(".cast"));
  const sizes = await Promise.all(files.map(async (f) => (await fs.stat(path.join(FIXTURE_DIR, f))).size));
  const largest = files[sizes.indexOf(Math.max(...sizes))];
  cases.unshift([`the largest fixture (${largest})`, await fs.readFile(path.join(FIXTURE_DIR, largest), "utf8")]);
  for (const [, text] of cases) parseBoot(text); // warm-up: compiled code, not the interpreter

  console.log(`boot analysis: parseBoot vs parseCast on the same text, median of ${ROUNDS} rounds`);
  for (const [name, text] of cases) {
    if (stopping) break;
    const mb = Buffer.byteLength(text) / 2 ** 20; // the recording as stored
    const parse: number[] = [];
    const base: number[] = [];
    let entries = 0;
    const reps = Math.max(1, Math.round((4 * 2 ** 20) / text.length));
    for (let r = 0; r < ROUNDS && !stopping; r++) {
      base.push(time(reps, () => parseCast(text)));
      parse.push(time(reps, () => (entries = parseBoot(text).entries.length)));
      process.stdout.write(".");
    }
    const p = median(parse)!;
    const b = median(base)!;
    console.log(
      `\n  ${name}: ${mb.toFixed(2)} MB, ${entries} entries — parseBoot ${p.toFixed(2)} ms ` +
        `(${(mb / (p / 1000)).toFixed(1)} MB/s), parseCast ${b.toFixed(2)} ms, ratio ${(p / b).toFixed(2)}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
