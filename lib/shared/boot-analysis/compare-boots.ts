// A boot against the guest's recent boots: "took 4.2 s longer than the median of the last
// 10; slower: networking.service (+3.1 s); new failure: ssh.service". Pure and deterministic.
import { median as medianOf } from "../consolidation";
import { PROBLEM_SEVERITY, type BootAnalysis } from "./types";

/** Up to this many earlier boots that reached readiness form the baseline. */
export const BASELINE_BOOTS = 10;
/**
 * A boot is slower when it exceeds the median by more than the larger of these. The same
 * busybox guest takes 1.2–2 s to boot here depending on host load (RECIPES), Debian 11 s
 * idle and 30 s+ on a busy host: below 2 s or a quarter of the usual time, a difference is
 * the host's weather, not the guest's doing. With fewer than 3 earlier boots the median is
 * one unlucky boot away from meaningless, so time alone never marks a regression then.
 */
export const SLOWER_MIN_SECONDS = 2;
export const SLOWER_MIN_RATIO = 0.25;
export const MIN_BASELINE_FOR_TIME = 3;
/**
 * A unit is slower when its Starting→Started time exceeds its median by more than the
 * larger of these: at least twice its usual time, and 2 s more. Units start in parallel and
 * compete for the CPU, so their times swing far more than the whole boot's: three
 * consecutive boots of the Debian fixture guest on a busy host (load 22 on 2 cores) gave
 * the same units 1.2–4.8 s, 1.9–5.8 s, 2.3–26 s. Doubling plus 2 s keeps the first two quiet
 * and still names the third.
 */
export const UNIT_SLOWER_MIN_SECONDS = 2;
export const UNIT_SLOWER_MIN_RATIO = 1;

export interface UnitSlowdown {
  unit: string;
  seconds: number;
  medianSeconds: number;
  deltaSeconds: number;
}

export interface BootComparison {
  /** Earlier boots compared against: the most recent (up to 10) that reached readiness. */
  baselineBoots: number;
  readySeconds: number | null;
  medianReadySeconds: number | null;
  /** readySeconds − medianReadySeconds. */
  deltaSeconds: number | null;
  /** Slower by more than the threshold (and a baseline of at least 3 boots). */
  slower: boolean;
  /** Units slower than their own median, most slowed first. */
  slowerUnits: UnitSlowdown[];
  /** Units failed now that did not fail in most of the baseline boots. */
  newFailures: string[];
  /** Slower, a new failure, or no readiness where earlier boots reached it: worth a mark. */
  regressed: boolean;
  /** A failed unit, an OOM kill, a filesystem error, an oops or a panic in this boot. */
  hasFailures: boolean;
  /** One sentence for people. */
  summary: string;
}

/**
 * Compares `current` with `previous`: the guest's earlier boots, most recent first (the
 * current boot not among them). Compare a boot once it is ready or has ended.
 */
export function compareBoots(
  current: BootAnalysis,
  previous: readonly BootAnalysis[],
  options: { inProgress?: boolean } = {},
): BootComparison {
  const baseline = previous.filter((b) => b.readySeconds !== null).slice(0, BASELINE_BOOTS);
  const medianReady = median(baseline.map((b) => b.readySeconds!));
  const ready = current.readySeconds;
  const delta = ready !== null && medianReady !== null ? round(ready - medianReady) : null;
  const slower =
    delta !== null &&
    baseline.length >= MIN_BASELINE_FOR_TIME &&
    delta > Math.max(SLOWER_MIN_SECONDS, SLOWER_MIN_RATIO * medianReady!);
  const slowerUnits = findSlowerUnits(current, baseline);
  const newFailures = baseline.length
    ? current.failedUnits.filter((u) => 2 * baseline.filter((b) => b.failedUnits.includes(u)).length <= baseline.length)
    : [];
  // A boot still in progress has not failed to reach its prompt: it may yet.
  const neverReady = ready === null && baseline.length > 0 && !options.inProgress;
  const hasFailures = current.problems.some((p) => PROBLEM_SEVERITY[p.kind] !== "warning");
  const comparison = {
    baselineBoots: baseline.length,
    readySeconds: ready,
    medianReadySeconds: medianReady,
    deltaSeconds: delta,
    slower,
    slowerUnits,
    newFailures,
    regressed: slower || newFailures.length > 0 || neverReady,
    hasFailures,
  };
  return { ...comparison, summary: summarize(comparison, current, options.inProgress ?? false) };
}

function findSlowerUnits(current: BootAnalysis, baseline: readonly BootAnalysis[]): UnitSlowdown[] {
  const out: UnitSlowdown[] = [];
  for (const unit of current.units) {
    if (unit.durationSeconds === null) continue;
    const times: number[] = [];
    for (const boot of baseline) {
      const before = boot.units.find((u) => u.unit === unit.unit);
      if (before?.durationSeconds != null) times.push(before.durationSeconds);
    }
    if (times.length < MIN_BASELINE_FOR_TIME) continue;
    const med = median(times)!;
    const delta = unit.durationSeconds - med;
    if (delta > Math.max(UNIT_SLOWER_MIN_SECONDS, UNIT_SLOWER_MIN_RATIO * med)) {
      out.push({ unit: unit.unit, seconds: unit.durationSeconds, medianSeconds: med, deltaSeconds: round(delta) });
    }
  }
  return out.sort((a, b) => b.deltaSeconds - a.deltaSeconds || (a.unit < b.unit ? -1 : 1));
}

function summarize(c: Omit<BootComparison, "summary">, current: BootAnalysis, inProgress: boolean): string {
  const parts: string[] = [];
  const last = c.baselineBoots === 1 ? "the last boot" : `the median of the last ${c.baselineBoots}`;
  if (c.readySeconds === null && inProgress) {
    parts.push("still booting: no prompt yet");
  } else if (c.readySeconds === null) {
    parts.push(
      current.problems.some((p) => p.kind === "kernel-panic") ? "panicked before a prompt" : "never reached a prompt",
    );
  } else if (c.baselineBoots === 0 || c.deltaSeconds === null) {
    parts.push(`ready in ${seconds(c.readySeconds)}; no earlier boot to compare with`);
  } else {
    const threshold = Math.max(SLOWER_MIN_SECONDS, SLOWER_MIN_RATIO * c.medianReadySeconds!);
    if (c.deltaSeconds > threshold) parts.push(`took ${seconds(c.deltaSeconds)} longer than ${last}`);
    else if (-c.deltaSeconds > threshold) parts.push(`took ${seconds(-c.deltaSeconds)} less than ${last}`);
    else parts.push(`took about as long as ${last} (${signed(c.deltaSeconds)})`);
  }
  if (c.slowerUnits.length) {
    parts.push(`slower: ${c.slowerUnits.map((u) => `${u.unit} (${signed(u.deltaSeconds)})`).join(", ")}`);
  }
  if (c.newFailures.length) {
    parts.push(`new failure${c.newFailures.length > 1 ? "s" : ""}: ${c.newFailures.join(", ")}`);
  }
  return parts.join("; ");
}

/** The median, to the millisecond; null for none. */
function median(values: number[]): number | null {
  const m = medianOf(values);
  return m === null ? null : round(m);
}

function seconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

function signed(s: number): string {
  return `${s >= 0 ? "+" : "−"}${Math.abs(s).toFixed(1)} s`;
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
