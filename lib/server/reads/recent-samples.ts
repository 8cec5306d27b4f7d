// The last minutes of some guests' samples, aligned on the sampling ticks: the guest list's
// sparklines of the rows it shows (lib/shared/recent-samples.ts extends them live).
import { CPU_WINDOW_MS } from "../../shared/consolidation";
import type { HostSampleView } from "../../shared/protocol";
import { recentFromRows, type RecentRow, type RecentSamples } from "../../shared/recent-samples";
import type { Db } from "../database";
import { rawArgs } from "../raw-statement";
import { RAW } from "./rollups";

/**
 * The sampling window ending at `host`'s tick, of the guests `guestIds` (on any host). Its
 * rows are read by one raw statement, by guest then time: SQLite then reads them by (guestId,
 * period, at), not every guest's rows of the window by (period, at). Prisma's model query took
 * 11–40 ms for 50 guests' 6,000 rows at 500 guests (mapping each row), this 7.
 */
export async function readRecentSamples(
  db: Db,
  host: HostSampleView | null,
  guestIds: string[],
): Promise<RecentSamples> {
  if (!host || guestIds.length === 0) return { ticks: [], cpu: {}, mem: {} };
  const end = new Date(host.at);
  const start = new Date(end.getTime() - CPU_WINDOW_MS);
  const a = rawArgs(db);
  const sql =
    `SELECT "guestId", "at", "cpuPct", "hostMemKiB" FROM "GuestSample" ` +
    `WHERE "guestId" IN (${guestIds.map((id) => a.text(id)).join(", ")}) AND "period" = ${a.int(RAW)} ` +
    `AND "at" > ${a.time(start)} AND "at" <= ${a.time(end)} ORDER BY "guestId", "at"`;
  const [ticks, rows] = await Promise.all([
    db.hostSample.findMany({
      where: { period: RAW, at: { gt: start, lte: end } },
      orderBy: { at: "asc" },
      select: { at: true },
    }),
    db.$queryRawUnsafe<RecentRow[]>(sql, ...a.args),
  ]);
  // Hosts of a fleet share their tick times: each time once.
  return recentFromRows([...new Set(ticks.map((t) => t.at.getTime()))], rows);
}
