// The last few minutes of every guest's samples, aligned on the sampling ticks: what the
// live pages hold to draw sparklines and average CPU, extended by each `metrics:sample`.
import { averageCpu, CPU_WINDOW_MS } from "./consolidation";
import type { MetricsSampleEvent } from "./protocol";

export interface RecentSamples {
  /** Tick times in ms, oldest first, all within CPU_WINDOW_MS of the last. */
  ticks: number[];
  /** Per guest, one entry per tick (null: not sampled then): CPU in % of a core… */
  cpu: Record<string, (number | null)[]>;
  /** …and host memory used, in MiB. */
  mem: Record<string, (number | null)[]>;
}

export interface RecentRow {
  guestId: string;
  at: Date | string;
  cpuPct: number;
  hostMemKiB: number;
}

const ms = (at: Date | string) => (typeof at === "string" ? Date.parse(at) : at.getTime());

/**
 * A figure as the series keep it: to two decimals. A sparkline is a few dozen pixels high and
 * the figure beside it shows one decimal, while a sample's full double is ~17 characters in
 * the page: a page of 50 guests carries 12,000 of them.
 */
export const kept = (x: number) => Math.round(x * 100) / 100;

/** From stored rows of the window and its ticks (host rows: one per tick, even with no guest). */
export function recentFromRows(ticks: number[], rows: RecentRow[]): RecentSamples {
  const index = new Map(ticks.map((t, i) => [t, i]));
  const cpu: RecentSamples["cpu"] = {};
  const mem: RecentSamples["mem"] = {};
  for (const r of rows) {
    const i = index.get(ms(r.at));
    if (i === undefined) continue;
    cpu[r.guestId] ??= new Array(ticks.length).fill(null);
    mem[r.guestId] ??= new Array(ticks.length).fill(null);
    cpu[r.guestId][i] = kept(r.cpuPct);
    mem[r.guestId][i] = kept(r.hostMemKiB / 1024);
  }
  return { ticks, cpu, mem };
}

/** Adds one tick and drops those that left the window. An old or repeated tick changes nothing. */
export function appendRecent(r: RecentSamples, e: MetricsSampleEvent): RecentSamples {
  const t = Date.parse(e.at);
  if (r.ticks.length && t <= r.ticks[r.ticks.length - 1]) return r;
  const drop = r.ticks.findIndex((x) => x > t - CPU_WINDOW_MS);
  const from = drop < 0 ? r.ticks.length : drop;
  const ticks = [...r.ticks.slice(from), t];
  const cpu: RecentSamples["cpu"] = {};
  const mem: RecentSamples["mem"] = {};
  const present = new Map(e.guests.map((g) => [g.guestId, g]));
  for (const id of new Set([...Object.keys(r.cpu), ...present.keys()])) {
    const g = present.get(id);
    const pad = (xs: (number | null)[] | undefined) => xs?.slice(from) ?? new Array(ticks.length - 1).fill(null);
    cpu[id] = [...pad(r.cpu[id]), g ? kept(g.cpuPct) : null];
    mem[id] = [...pad(r.mem[id]), g ? kept(g.hostMemKiB / 1024) : null];
    if (cpu[id].every((v) => v === null)) {
      delete cpu[id];
      delete mem[id];
    }
  }
  return { ticks, cpu, mem };
}

/** Each guest's CPU averaged over the window, summed in time order as the CSV export does. */
export function recentCpuAverages(r: RecentSamples): Map<string, number> {
  function* samples() {
    for (const [guestId, xs] of Object.entries(r.cpu)) {
      for (const cpuPct of xs) if (cpuPct !== null) yield { guestId, cpuPct };
    }
  }
  return averageCpu(samples());
}

/** Only these guests' series: a page never hands the browser figures of guests it may not show. */
export function recentForGuests(r: RecentSamples, ids: Iterable<string>): RecentSamples {
  const cpu: RecentSamples["cpu"] = {};
  const mem: RecentSamples["mem"] = {};
  for (const id of ids) {
    if (r.cpu[id]) cpu[id] = r.cpu[id];
    if (r.mem[id]) mem[id] = r.mem[id];
  }
  return { ticks: r.ticks, cpu, mem };
}
