import "server-only";
import { toGuestSampleView, toHostSampleView } from "../shared/metric-views";
import type { GuestSampleView, HostSampleView, MetricRange, TickSample } from "../shared/protocol";
import { kept, type RecentSamples } from "../shared/recent-samples";
import { readRecentSamples as recentSamples } from "./reads/recent-samples";
import { readCpuAverages as cpuAverages } from "./reads/cpu-averages";
import { RANGES, readUsageHistory as usageHistory, type UsageHistory } from "./reads/usage-history";
import { db } from "./web-db";

// Metric reads for server components and the CSV export. Each range reads the resolution
// that is kept for it: raw samples for the hour, minute rollups for the day, hours beyond.
// Every host of a fleet samples on the same aligned ticks into the same tables, so a read
// of host figures or of a tick's guests names its host (HostSampleView.hostId).

export { RANGES, type UsageHistory };

/**
 * The newest sampling tick's host figures, or those of the tick at `at`: of host `hostId`,
 * or (undefined) of whichever host sampled last — for reads of guests on every host.
 */
export async function findTick(at?: Date, hostId?: string | null): Promise<HostSampleView | null> {
  const row = await db.hostSample.findFirst({
    where: { period: 0, ...(at ? { at } : {}), ...(hostId !== undefined ? { hostId } : {}) },
    orderBy: { at: "desc" },
  });
  return row ? toHostSampleView(row) : null;
}

/** The sampling window ending at the tick, of the guests `guestIds` (reads/recent-samples.ts). */
export function readRecentSamples(host: HostSampleView | null, guestIds: string[]): Promise<RecentSamples> {
  return recentSamples(db, host, guestIds);
}

/** The guest samples of one tick of one host, CPU to two decimals (the page shows one). */
export async function readTickSamples(host: HostSampleView | null): Promise<TickSample[]> {
  if (!host) return [];
  const rows = await db.guestSample.findMany({
    where: { hostId: host.hostId, period: 0, at: new Date(host.at) },
    select: {
      guestId: true,
      cpuPct: true,
      hostMemKiB: true,
      guestMemTotalKiB: true,
      guestMemUsedKiB: true,
      guestLoad1: true,
    },
  });
  return rows.map((r) => ({ ...r, cpuPct: kept(r.cpuPct) }));
}

/** Each guest's CPU averaged over the window ending at the tick (reads/cpu-averages.ts), to two decimals. */
export async function readCpuAverages(host: HostSampleView | null): Promise<Record<string, number>> {
  if (!host) return {};
  return Object.fromEntries(Object.entries(await cpuAverages(db, host)).map(([id, cpu]) => [id, kept(cpu)]));
}

/** Host `hostId`'s CPU and memory over the range, stacked by guest (reads/usage-history.ts). */
export function readUsageHistory(range: MetricRange, hostId: string | null): Promise<UsageHistory> {
  return usageHistory(db, range, hostId);
}

/** One guest's samples over the range, oldest first. */
export async function readGuestHistory(guestId: string, range: MetricRange): Promise<GuestSampleView[]> {
  const { period, spanMs } = RANGES[range];
  const rows = await db.guestSample.findMany({
    where: { guestId, period, at: { gte: new Date(Date.now() - spanMs) } },
    orderBy: { at: "asc" },
  });
  return rows.map(toGuestSampleView);
}
