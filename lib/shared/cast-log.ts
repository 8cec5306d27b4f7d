// Reads a boot log (asciicast v2: a JSON header line, then `[seconds, code, data]` lines)
// into the steps that redraw it in a terminal: output to write and resizes to apply, in
// order. Pure, so it runs in the browser and in tests alike.

export type CastStep = { type: "write"; data: string } | { type: "resize"; cols: number; rows: number };

export interface CastLog {
  width: number;
  height: number;
  steps: CastStep[];
  /** Lines that could not be read (a line cut short while the daemon was writing it). */
  skipped: number;
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
    const [, code, data] = event as [number, string, string];
    if (code === "o") {
      const last = steps[steps.length - 1];
      if (last?.type === "write") last.data += data;
      else steps.push({ type: "write", data });
    } else if (code === "r") {
      const size = parseSize(data);
      if (size) steps.push({ type: "resize", ...size });
      else skipped++;
    }
    // "m" (markers) and "i" (input) do not change the screen.
  }
  return { width, height, steps, skipped };
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
