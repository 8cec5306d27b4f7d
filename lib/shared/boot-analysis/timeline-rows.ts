// A boot's analysis as the rows of a chart like `systemd-analyze plot`: the kernel and
// userspace phases, each unit from its `Starting` line to its `Started`/`Failed` line, and
// each problem that is not a unit at its moment. Pure, for the boot page and its tests.
import { PROBLEM_SEVERITY, type BootAnalysis, type BootEntry, type BootEntryKind } from "./types";

export type TimelineTone = "phase" | "unit" | "failed" | "pending" | "problem";

export interface TimelineRow {
  key: string;
  label: string;
  /** Seconds from the boot's start; equal for a moment. */
  start: number;
  end: number;
  /** The moment to show in the replay: the line that says how it went. */
  at: number;
  tone: TimelineTone;
}

export interface TimelineMarker {
  kind: BootEntryKind;
  at: number;
}

const MARKER_KINDS: BootEntryKind[] = ["root-mounted", "init-started", "prompt", "ready", "shutdown"];

/** At most `max` rows, problems and failed units kept first; `hidden` says how many were left out. */
export function timelineRows(
  a: BootAnalysis,
  max = 150,
): { rows: TimelineRow[]; markers: TimelineMarker[]; hidden: number; total: number } {
  const rows: TimelineRow[] = [];
  const kernelStart = a.firstOutputSeconds ?? 0;
  const userspaceEnd = a.readySeconds ?? a.shutdownSeconds ?? a.endSeconds;
  const kernelEnd = a.initSeconds ?? a.rootMountedSeconds ?? userspaceEnd;
  rows.push({
    key: "phase:kernel",
    label: "Kernel",
    start: kernelStart,
    end: kernelEnd,
    at: kernelStart,
    tone: "phase",
  });
  if (a.initSeconds !== null) {
    const end = Math.max(userspaceEnd, a.initSeconds);
    rows.push({
      key: "phase:userspace",
      label: "Userspace",
      start: a.initSeconds,
      end,
      at: a.initSeconds,
      tone: "phase",
    });
  }
  for (const u of a.units) {
    const start = u.startingAt ?? u.endedAt;
    if (start === null) continue;
    const end = u.endedAt ?? a.endSeconds;
    const tone = u.result === "failed" ? "failed" : u.result === "pending" ? "pending" : "unit";
    rows.push({ key: `unit:${u.unit}`, label: u.unit, start, end, at: u.endedAt ?? start, tone });
  }
  // In the order they happened (the sort below is stable: moments of one chunk keep it).
  a.entries
    .filter((e) => PROBLEM_SEVERITY[e.kind] && e.kind !== "unit-failed")
    .forEach((p: BootEntry, i) =>
      rows.push({ key: `problem:${i}`, label: p.label, start: p.at, end: p.at, at: p.at, tone: "problem" }),
    );
  const important = (r: TimelineRow) => r.tone === "failed" || r.tone === "problem" || r.tone === "phase";
  const kept =
    rows.length <= max ? rows : [...rows.filter(important), ...rows.filter((r) => !important(r))].slice(0, max);
  kept.sort((x, y) => x.start - y.start || x.end - y.end);
  const markers = a.entries.filter((e) => MARKER_KINDS.includes(e.kind)).map((e) => ({ kind: e.kind, at: e.at }));
  const total = Math.max(a.endSeconds, ...kept.map((r) => r.end));
  return { rows: kept, markers, hidden: rows.length - kept.length, total };
}
