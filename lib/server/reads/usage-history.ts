// A host's usage over a range, stacked by guest: the consolidation page's CPU and memory
// charts. The chart of the hour draws minutes (the rollups compaction keeps), then the raw
// samples of the minutes not rolled up yet; the day draws hours, then the minutes of the
// hour not rolled up yet; the month hours. The guests that get a layer of their own are
// chosen from the same rows.
import type { MetricRange } from "../../shared/protocol";
import { chooseLayers, stackByGuest, type StackedSeries } from "../../shared/stacked-series";
import type { Db } from "../database";
import { BY_GUEST, rawArgs, rawNumber } from "../raw-statement";
import { HOUR, MINUTE, newestRollup, RAW } from "./rollups";

/**
 * `period`: the finest resolution kept for the range (a guest's own charts read it);
 * `chartPeriod`: what the consolidation chart draws and ranks its layers by, with `period`
 * rows after the newest of them. Proxmox VE's hour is per minute, its day per half hour.
 */
export const RANGES: Record<MetricRange, { period: number; chartPeriod: number; spanMs: number; label: string }> = {
  hour: { period: RAW, chartPeriod: MINUTE, spanMs: 3600_000, label: "Last hour" },
  day: { period: MINUTE, chartPeriod: HOUR, spanMs: 24 * 3600_000, label: "Last 24 hours" },
  month: { period: HOUR, chartPeriod: HOUR, spanMs: 30 * 24 * 3600_000, label: "Last 30 days" },
};

export interface UsageHistory {
  range: MetricRange;
  cpu: StackedSeries;
  mem: StackedSeries;
}

/** Rows of `period` at `from` or later (and at `to` or earlier, when given). */
interface Span {
  period: number;
  from: Date;
  to?: Date;
}

/**
 * Host `hostId`'s CPU and memory over the range, stacked by guest (its samples of them: a
 * guest moved between hosts counts on each for its time there). In a rollup a guest that ran
 * for part of the bucket counts for that part only (its mean × its share of the bucket's
 * samples), so the layers add up to the host's total for the bucket.
 *
 * At 500 guests an hour of raw samples is 360,000 rows; the chart's layers alone were 11,520
 * of them (~50 ms through the driver), its minutes are 960.
 */
export async function readUsageHistory(
  db: Db,
  range: MetricRange,
  hostId: string | null,
  now = new Date(),
): Promise<UsageHistory> {
  const { period, chartPeriod, spanMs } = RANGES[range];
  const since = new Date(now.getTime() - spanMs);
  const chart = await spans(db, hostId, chartPeriod, period, since);
  const [hostParts, averages, guests] = await Promise.all([
    Promise.all(chart.map((s) => db.hostSample.findMany({ where: { hostId, ...within(s) }, orderBy: { at: "asc" } }))),
    rankingAverages(db, hostId, chart),
    db.guest.findMany({ select: { id: true, name: true } }),
  ]);
  const hosts = hostParts.flat();
  const names = new Map(guests.map((g) => [g.id, g.name]));
  const named = averages.map((a) => ({ id: a.guestId, name: names.get(a.guestId) ?? "deleted guest" }));
  const cpuLayers = chooseLayers(named.map((g, i) => ({ ...g, average: averages[i].cpuPct })));
  const memLayers = chooseLayers(named.map((g, i) => ({ ...g, average: averages[i].hostMemKiB })));
  const layered = [...new Set([...cpuLayers.layerGuests, ...memLayers.layerGuests].map((g) => g.id))];
  // Hazard: with the host in the WHERE, SQLite reads the range by the (hostId, period, at)
  // index and fetches every guest's row to test its id (65 ms at 500 guests, not 11): the
  // layered guests' rows are read by guest, and another host's (a guest that moved) dropped here.
  const rows = (
    await Promise.all(
      chart.map((s) =>
        db.guestSample.findMany({
          where: { ...within(s), guestId: { in: layered } },
          select: { guestId: true, hostId: true, at: true, samples: true, cpuPct: true, hostMemKiB: true },
        }),
      ),
    )
  )
    .flat()
    .filter((r) => r.hostId === hostId);
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

const within = (s: Span) => ({ period: s.period, at: { gte: s.from, ...(s.to ? { lte: s.to } : {}) } });

/**
 * The range as rows of `coarse` from the bucket `since` falls in (every guest with a row in
 * the range has one there) to the newest the host has rolled up, then rows of `fine` after
 * it; all `fine` from `since` when it has rolled up none.
 */
async function spans(db: Db, hostId: string | null, coarse: number, fine: number, since: Date): Promise<Span[]> {
  if (coarse === fine) return [{ period: fine, from: since }];
  const coarseMs = coarse * 1000;
  const from = new Date(Math.floor(since.getTime() / coarseMs) * coarseMs);
  const newest = await newestRollup(db, hostId, coarse, { gte: from });
  if (!newest) return [{ period: fine, from: since }];
  return [
    { period: coarse, from, to: newest },
    { period: fine, from: new Date(newest.getTime() + coarseMs) },
  ];
}

/**
 * Each guest's mean CPU and host memory over `spans`, to choose the chart's layers: a guest
 * of the first span is ranked by it (a minute's rows are 1/12 of its raw ones: at 500 guests
 * SQLite took ~0.4 s to average an hour of raw samples, ~45 ms its minutes). Averaged by one
 * raw statement: Prisma's groupBy took twice as long over the same rows (18 ms against 9).
 */
async function rankingAverages(db: Db, hostId: string | null, spans: Span[]): Promise<GuestAverage[]> {
  const each = await Promise.all(spans.map((s) => spanAverages(db, hostId, s)));
  const [first, ...rest] = each;
  const ranked = new Set(first.map((a) => a.guestId));
  return [...first, ...rest.flat().filter((a) => !ranked.has(a.guestId))];
}

interface GuestAverage {
  guestId: string;
  cpuPct: number;
  hostMemKiB: number;
}

async function spanAverages(db: Db, hostId: string | null, span: Span): Promise<GuestAverage[]> {
  const a = rawArgs(db);
  const sql =
    `SELECT g."id" AS "guestId", AVG(s."cpuPct") AS "cpuPct", AVG(s."hostMemKiB") AS "hostMemKiB" ` +
    `${BY_GUEST} AND ${a.host(hostId, `s."hostId"`)} AND s."period" = ${a.int(span.period)} AND s."at" >= ${a.time(span.from)}` +
    `${span.to ? ` AND s."at" <= ${a.time(span.to)}` : ""} GROUP BY g."id"`;
  const rows = await db.$queryRawUnsafe<Array<{ guestId: string; cpuPct: unknown; hostMemKiB: unknown }>>(
    sql,
    ...a.args,
  );
  return rows.map((r) => ({ guestId: r.guestId, cpuPct: rawNumber(r.cpuPct), hostMemKiB: rawNumber(r.hostMemKiB) }));
}
