// A host's usage over a range, stacked by guest: the consolidation page's CPU and memory
// charts. Each range reads the resolution that is kept for it (raw samples for the hour,
// minute rollups for the day, hours beyond); the guests that get a layer of their own are
// chosen from a coarser resolution where one is kept.
import type { MetricRange } from "../../shared/protocol";
import { chooseLayers, stackByGuest, type StackedSeries } from "../../shared/stacked-series";
import type { Db } from "../database";

export const RANGES: Record<MetricRange, { period: number; rankPeriod: number; spanMs: number; label: string }> = {
  hour: { period: 0, rankPeriod: 60, spanMs: 3600_000, label: "Last hour" },
  day: { period: 60, rankPeriod: 3600, spanMs: 24 * 3600_000, label: "Last 24 hours" },
  month: { period: 3600, rankPeriod: 3600, spanMs: 30 * 24 * 3600_000, label: "Last 30 days" },
};

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
export async function readUsageHistory(
  db: Db,
  range: MetricRange,
  hostId: string | null,
  now = new Date(),
): Promise<UsageHistory> {
  const { period, rankPeriod, spanMs } = RANGES[range];
  const where = { hostId, period, at: { gte: new Date(now.getTime() - spanMs) } };
  const [hosts, averages, guests] = await Promise.all([
    db.hostSample.findMany({ where, orderBy: { at: "asc" } }),
    rankingAverages(db, hostId, period, rankPeriod, where.at.gte),
    db.guest.findMany({ select: { id: true, name: true } }),
  ]);
  const names = new Map(guests.map((g) => [g.id, g.name]));
  const named = averages.map((a) => ({ id: a.guestId, name: names.get(a.guestId) ?? "deleted guest" }));
  const cpuLayers = chooseLayers(named.map((g, i) => ({ ...g, average: averages[i]._avg.cpuPct ?? 0 })));
  const memLayers = chooseLayers(named.map((g, i) => ({ ...g, average: averages[i]._avg.hostMemKiB ?? 0 })));
  const layered = [...new Set([...cpuLayers.layerGuests, ...memLayers.layerGuests].map((g) => g.id))];
  // Hazard: with the host in the WHERE, SQLite reads the range by the (hostId, period, at)
  // index and fetches every guest's row to test its id (65 ms at 500 guests, not 11): the
  // layered guests' rows are read by guest, and another host's (a guest that moved) dropped here.
  const rows = (
    await db.guestSample.findMany({
      where: { period, at: where.at, guestId: { in: layered } },
      select: { guestId: true, hostId: true, at: true, samples: true, cpuPct: true, hostMemKiB: true },
    })
  ).filter((r) => r.hostId === hostId);
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

/**
 * Each guest's mean CPU and host memory since `since`, to choose the chart's layers: read
 * from the next coarser rollup where the range has one (minutes for the hour, hours for the
 * day), and from the range's own rows only for the tail not rolled up yet. At 500 guests an
 * hour of raw samples is 360,000 rows, which SQLite took ~0.4 s to average here; its minute
 * rows are 30,000 (~45 ms). Every guest with a row in the range is ranked (the bucket the
 * range starts in counts too), so none of their usage goes missing from the layers.
 */
async function rankingAverages(db: Db, hostId: string | null, period: number, rankPeriod: number, since: Date) {
  const averages = (p: number, from: Date) =>
    db.guestSample.groupBy({
      by: ["guestId"],
      where: { hostId, period: p, at: { gte: from } },
      _avg: { cpuPct: true, hostMemKiB: true },
    });
  const newest =
    rankPeriod === period
      ? null
      : await db.guestSample.findFirst({
          where: { hostId, period: rankPeriod, at: { gte: new Date(since.getTime() - rankPeriod * 1000) } },
          orderBy: { at: "desc" },
          select: { at: true },
        });
  if (!newest) return averages(period, since);
  const [coarse, tail] = await Promise.all([
    averages(rankPeriod, new Date(since.getTime() - rankPeriod * 1000)),
    averages(period, new Date(newest.at.getTime() + rankPeriod * 1000)),
  ]);
  const ranked = new Set(coarse.map((a) => a.guestId));
  return [...coarse, ...tail.filter((a) => !ranked.has(a.guestId))];
}
