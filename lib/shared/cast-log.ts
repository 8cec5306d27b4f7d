// Reads a boot log (asciicast v2: a JSON header line, then `[seconds, code, data]` lines)
// into the steps that redraw it in a terminal: output to write and resizes to apply, in
// order, each with its time, so a replay can stop at any moment. Pure, so it runs in the
// browser and in tests alike.

export type CastStep =
  { type: "write"; at: number; data: string } | { type: "resize"; at: number; cols: number; rows: number };

export interface CastLog {
  width: number;
  height: number;
  steps: CastStep[];
  /** Lines that could not be read (a line cut short while the daemon was writing it). */
  skipped: number;
  /** Seconds from the start to the last event. */
  duration: number;
}

export class CastLogError extends Error {}

export function parseCastLog(text: string): CastLog {
  const lines = text.split("\n");
  let header: { version?: unknown; width?: unknown; height?: unknown };
  try {
    header = JSON.parse(lines[0]);
  } catch {
    throw new CastLogError("The boot log does not start with an asciicast header.");
  }
  if (header.version !== 2)
    throw new CastLogError(`The boot log is not asciicast v2 (version ${String(header.version)}).`);
  const width = positiveInt(header.width) ?? 80;
  const height = positiveInt(header.height) ?? 24;

  const steps: CastStep[] = [];
  let skipped = 0;
  let duration = 0;
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (!Array.isArray(event) || typeof event[1] !== "string" || typeof event[2] !== "string") {
      skipped++;
      continue;
    }
    const [t, code, data] = event as [unknown, string, string];
    // Times never run backwards in a recording; a bad one keeps the time before it.
    const at = typeof t === "number" && Number.isFinite(t) ? Math.max(t, duration) : duration;
    duration = at;
    if (code === "o") {
      steps.push({ type: "write", at, data });
    } else if (code === "r") {
      const size = parseSize(data);
      if (size) steps.push({ type: "resize", at, ...size });
      else skipped++;
    }
    // "m" (markers) and "i" (input) do not change the screen.
  }
  return { width, height, steps, skipped, duration };
}

/**
 * The steps from index `from` up to and including the last at or before `until` seconds,
 * with consecutive output joined (one terminal write each): what brings a terminal from
 * step `from` to that moment. Also returns where the next call continues.
 */
export function stepsUntil(steps: readonly CastStep[], until: number, from = 0): { steps: CastStep[]; next: number } {
  const out: CastStep[] = [];
  let i = from;
  for (; i < steps.length && steps[i].at <= until; i++) {
    const step = steps[i];
    const last = out[out.length - 1];
    if (step.type === "write" && last?.type === "write") last.data += step.data;
    else out.push({ ...step });
  }
  return { steps: out, next: i };
}

function positiveInt(v: unknown): number | null {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null;
}

/** "120x40" → { cols: 120, rows: 40 } */
function parseSize(s: string): { cols: number; rows: number } | null {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) return null;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : null;
}
