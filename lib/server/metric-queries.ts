import "server-only";
import { CPU_WINDOW_MS } from "../shared/consolidation";
import { toGuestSampleView, toHostSampleView } from "../shared/metric-views";
import type { GuestSampleView, HostSampleView, MetricRange } from "../shared/protocol";
import { recentFromRows, type RecentSamples } from "../shared/recent-samples";
import { chooseLayers, stackByGuest, type StackedSeries } from "../shared/stacked-series";
import { db } from "./web-db";

// Metric reads for server components and the CSV export. Each range reads the resolution
// that is kept for it: raw samples for the hour, minute rollups for the day, hours beyond.
// Every host of a fleet samples on the same aligned ticks into the same tables, so a read
// of host figures or of a tick's guests names its host (HostSampleView.hostId).

export const RANGES: Record<MetricRange, { period: number; spanMs: number; label: string }> = {
  hour: { period: 0, spanMs: 3600_000, label: "Last hour" },
  day: { period: 60, spanMs: 24 * 3600_000, label: "Last 24 hours" },
  month: { period: 3600, spanMs: 30 * 24 * 3600_000, label: "Last 30 days" },
};

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

/**
 * What the consolidation report needs at a tick: its guest samples and the CPU window —
 * of every guest, or only of `guestIds` (the rows a page shows).
 */
export async function readTickDetail(
  host: HostSampleView | null,
  guestIds?: string[],
): Promise<{
  latest: GuestSampleView[];
  recent: RecentSamples;
}> {
  if (!host) return { latest: [], recent: { ticks: [], cpu: {}, mem: {} } };
  const end = new Date(host.at);
  const window = { period: 0, at: { gt: new Date(end.getTime() - CPU_WINDOW_MS), lte: end } };
  const only = guestIds ? { guestId: { in: guestIds } } : {};
  const [latest, ticks, rows] = await Promise.all([
    db.guestSample.findMany({ where: { period: 0, at: end, ...only } }),
    db.hostSample.findMany({ where: window, orderBy: { at: "asc" }, select: { at: true } }),
    db.guestSample.findMany({
      where: { ...window, ...only },
      orderBy: { at: "asc" },
      select: { guestId: true, at: true, cpuPct: true, hostMemKiB: true },
    }),
  ]);
  return {
    latest: latest.map(toGuestSampleView),
    // Hosts of a fleet share their tick times: each time once.
    recent: recentFromRows([...new Set(ticks.map((t) => t.at.getTime()))], rows),
  };
}

/** The guest samples of one tick of one host. */
export async function readTickSamples(host: HostSampleView | null): Promise<GuestSampleView[]> {
  if (!host) return [];
  const rows = await db.guestSample.findMany({ where: { hostId: host.hostId, period: 0, at: new Date(host.at) } });
  return rows.map(toGuestSampleView);
}

/**
 * Each guest's CPU averaged over the window ending at the tick, computed by the database:
 * the consolidation page and its CSV read the same figures without carrying every sample of
 * every guest (60,000 rows at 500 guests) through the web server.
 */
export async function readCpuAverages(host: HostSampleView | null): Promise<Record<string, number>> {
  if (!host) return {};
  const end = new Date(host.at);
  const rows = await db.guestSample.groupBy({
    by: ["guestId"],
    where: { hostId: host.hostId, period: 0, at: { gt: new Date(end.getTime() - CPU_WINDOW_MS), lte: end } },
    _avg: { cpuPct: true },
  });
  return Object.fromEntries(rows.map((r) => [r.guestId, r._avg.cpuPct ?? 0]));
}

export interface UsageHistory {
  range: MetricRange;
  cpu: StackedSeries;
  mem: StackedSeries;
}

/**
 * Host `hostId`'s CPU and memory over the range, stacked by guest (its samples of them: a
 * guest moved between hosts counts on each for its time there). In a rollup a guest that ran
 * for part of the bucket counts for that part only (its mean × its share of the bucket's
 * samples), so the layers add up to the host's total for the bucket.
 */
export async function readUsageHistory(range: MetricRange, hostId: string | null): Promise<UsageHistory> {
  const { period, spanMs } = RANGES[range];
  const where = { hostId, period, at: { gte: new Date(Date.now() - spanMs) } };
  const [hosts, averages, guests] = await Promise.all([
    db.hostSample.findMany({ where, orderBy: { at: "asc" } }),
    db.guestSample.groupBy({ by: ["guestId"], where, _avg: { cpuPct: true, hostMemKiB: true } }),
    db.guest.findMany({ select: { id: true, name: true } }),
  ]);
  const names = new Map(guests.map((g) => [g.id, g.name]));
  const named = averages.map((a) => ({ id: a.guestId, name: names.get(a.guestId) ?? "deleted guest" }));
  const cpuLayers = chooseLayers(named.map((g, i) => ({ ...g, average: averages[i]._avg.cpuPct ?? 0 })));
  const memLayers = chooseLayers(named.map((g, i) => ({ ...g, average: averages[i]._avg.hostMemKiB ?? 0 })));
  const layered = [...new Set([...cpuLayers.layerGuests, ...memLayers.layerGuests].map((g) => g.id))];
  const rows = await db.guestSample.findMany({
    where: { ...where, guestId: { in: layered } },
    select: { guestId: true, at: true, samples: true, cpuPct: true, hostMemKiB: true },
  });
  const hostSamples = new Map(hosts.map((h) => [h.at.getTime(), h.samples]));
  const share = (r: (typeof rows)[number]) => r.samples / (hostSamples.get(r.at.getTime()) ?? r.samples);
  const cpu = stackByGuest(
    rows.map((r) => ({ guestId: r.guestId, t: r.at.getTime(), value: r.cpuPct * share(r) })),
    hosts.map((h) => ({ t: h.at.getTime(), line: h.cpuPct, total: h.guestCpuPct })),
    cpuLayers.layerGuests,
    cpuLayers.others,
  );
  const mem = stackByGuest(
    rows.map((r) => ({ guestId: r.guestId, t: r.at.getTime(), value: (r.hostMemKiB * share(r)) / 1024 })),
    hosts.map((h) => ({ t: h.at.getTime(), line: h.guestAllocatedMiB, total: h.guestHostMemKiB / 1024 })),
    memLayers.layerGuests,
    memLayers.others,
  );
  return { range, cpu, mem };
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
