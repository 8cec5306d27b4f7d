import type { GuestSample, HostSample } from "../../generated/prisma/client";
import { HOUR, MINUTE, RAW } from "../../lib/server/reads/rollups";

// Downsampling. Raw samples are kept an hour; each closed minute is rolled up into one row
// per guest (kept a day), each closed hour into one row per guest from the minute rows
// (kept for the retention period). Pure: metrics-store.ts reads and writes the rows.

export type GuestRow = Omit<GuestSample, "id">;
export type HostRow = Omit<HostSample, "id">;

export { HOUR, MINUTE, RAW };

const H = 3600_000;
const D = 24 * H;

/** How long rows of each period are kept, in ms. */
export function retentionMs(period: number, retentionDays: number): number {
  if (period === RAW) return H;
  if (period === MINUTE) return D;
  return retentionDays * D;
}

/** Each rollup period and the period it is built from. */
export const ROLLUPS = [
  { period: MINUTE, from: RAW },
  { period: HOUR, from: MINUTE },
] as const;

export function bucketStart(atMs: number, periodS: number): number {
  return Math.floor(atMs / (periodS * 1000)) * periodS * 1000;
}

/**
 * The most rows one guest (or the host) can have at once. Compaction runs once a minute, so
 * raw rows are an hour's worth plus up to a minute's not yet deleted; rollups are one per
 * bucket within retention, plus the bucket at the edge.
 */
export function rowsBound(intervalS: number, retentionDays: number) {
  const raw = Math.ceil(3600 / intervalS) + Math.ceil(60 / intervalS) + 1;
  const minute = 24 * 60 + 1;
  const hour = retentionDays * 24 + 1;
  return { raw, minute, hour, total: raw + minute + hour };
}

/** Mean of `value` weighted by `weight`, over rows where value is present. */
function weightedMean<T>(rows: T[], value: (r: T) => number | null, weight: (r: T) => number): number | null {
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    const v = value(r);
    const w = weight(r);
    if (v === null || w <= 0) continue;
    sum += v * w;
    n += w;
  }
  return n > 0 ? sum / n : null;
}

function maxOf<T>(rows: T[], value: (r: T) => number): number {
  return rows.reduce((m, r) => Math.max(m, value(r)), -Infinity);
}

/** One guest's rows of one bucket, as a single row of `period` starting at `at`. */
export function rollupGuest(rows: GuestRow[], period: number, at: Date): GuestRow {
  const w = (r: GuestRow) => r.samples;
  const gw = (r: GuestRow) => r.guestSamples;
  return {
    guestId: rows[0].guestId,
    period,
    at,
    samples: rows.reduce((n, r) => n + r.samples, 0),
    cpuPct: weightedMean(rows, (r) => r.cpuPct, w) ?? 0,
    cpuPctMax: maxOf(rows, (r) => r.cpuPctMax),
    hostMemKiB: weightedMean(rows, (r) => r.hostMemKiB, w) ?? 0,
    guestSamples: rows.reduce((n, r) => n + r.guestSamples, 0),
    guestMemTotalKiB: weightedMean(rows, (r) => r.guestMemTotalKiB, gw),
    guestMemUsedKiB: weightedMean(rows, (r) => r.guestMemUsedKiB, gw),
    guestLoad1: weightedMean(rows, (r) => r.guestLoad1, gw),
    hostId: rows[0].hostId,
  };
}

/** Every guest's rows of one bucket → one row per guest. */
export function rollupGuests(rows: GuestRow[], period: number, at: Date): GuestRow[] {
  const byGuest = new Map<string, GuestRow[]>();
  for (const r of rows) {
    const list = byGuest.get(r.guestId);
    if (list) list.push(r);
    else byGuest.set(r.guestId, [r]);
  }
  return [...byGuest.values()].map((g) => rollupGuest(g, period, at));
}

/** One host's rows of one bucket (compaction reads them per host: metrics-store.ts). */
export function rollupHost(rows: HostRow[], period: number, at: Date): HostRow {
  const mean = (v: (r: HostRow) => number) => weightedMean(rows, v, (r) => r.samples) ?? 0;
  return {
    hostId: rows[0].hostId,
    period,
    at,
    samples: rows.reduce((n, r) => n + r.samples, 0),
    cpuCores: maxOf(rows, (r) => r.cpuCores),
    cpuPct: mean((r) => r.cpuPct),
    cpuPctMax: maxOf(rows, (r) => r.cpuPctMax),
    memTotalKiB: mean((r) => r.memTotalKiB),
    memAvailableKiB: mean((r) => r.memAvailableKiB),
    diskFreeMiB: mean((r) => r.diskFreeMiB),
    ramBackingFreeMiB: mean((r) => r.ramBackingFreeMiB),
    load1: mean((r) => r.load1),
    guestsRunning: mean((r) => r.guestsRunning),
    guestAllocatedMiB: mean((r) => r.guestAllocatedMiB),
    guestCpuPct: mean((r) => r.guestCpuPct),
    guestHostMemKiB: mean((r) => r.guestHostMemKiB),
  };
}
