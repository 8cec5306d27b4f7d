// Each guest's CPU averaged over the window ending at a tick (the consolidation page's CPU
// column, its CSV and its live averages), computed by the database: from the minutes that
// compaction rolled up inside the window, and the raw samples before and after them. At 500
// guests the window's raw samples are 60,000 rows (~40 ms to average here); its minutes 4,500.
import { CPU_WINDOW_MS } from "../../shared/consolidation";
import type { Db } from "../database";
import { BY_GUEST, rawArgs, rawNumber } from "../raw-statement";
import { MINUTE, newestRollup, RAW } from "./rollups";

const MINUTE_MS = MINUTE * 1000;

/** A part of the window: rows of `period` from `from` to `to`, both included (times in ms). */
interface Part {
  period: number;
  from: number;
  to: number;
}

/** Every guest's mean CPU over (at − CPU_WINDOW_MS, at], of host `hostId`'s samples. */
export async function readCpuAverages(
  db: Db,
  host: { hostId: string | null; at: string },
): Promise<Record<string, number>> {
  const end = Date.parse(host.at);
  const start = end - CPU_WINDOW_MS; // not included
  // Minutes wholly inside the window, up to the newest the host has rolled up. Times have
  // millisecond precision.
  const first = Math.floor(start / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const newest = await newestRollup(db, host.hostId, MINUTE, { gte: new Date(first), lte: new Date(end - MINUTE_MS) });
  const parts: Part[] = newest
    ? [
        { period: RAW, from: start + 1, to: first - 1 },
        { period: MINUTE, from: first, to: newest.getTime() },
        { period: RAW, from: newest.getTime() + MINUTE_MS, to: end },
      ]
    : [{ period: RAW, from: start + 1, to: end }];
  const sums = new Map<string, { cpu: number; samples: number }>();
  for (const rows of await Promise.all(parts.map((p) => sumPart(db, host.hostId, p)))) {
    for (const r of rows) {
      const s = sums.get(r.guestId) ?? { cpu: 0, samples: 0 };
      s.cpu += rawNumber(r.cpu);
      s.samples += rawNumber(r.samples);
      sums.set(r.guestId, s);
    }
  }
  return Object.fromEntries([...sums].map(([id, s]) => [id, s.samples > 0 ? s.cpu / s.samples : 0]));
}

/** Each guest's CPU × samples and samples over one part: a rollup's mean weighs its samples. */
function sumPart(db: Db, hostId: string | null, part: Part) {
  const a = rawArgs(db);
  const sql =
    `SELECT g."id" AS "guestId", SUM(s."cpuPct" * s."samples") AS "cpu", SUM(s."samples") AS "samples" ` +
    `${BY_GUEST} AND ${a.host(hostId, `s."hostId"`)} AND s."period" = ${a.int(part.period)} ` +
    `AND s."at" >= ${a.time(new Date(part.from))} AND s."at" <= ${a.time(new Date(part.to))} GROUP BY g."id"`;
  return db.$queryRawUnsafe<Array<{ guestId: string; cpu: unknown; samples: unknown }>>(sql, ...a.args);
}
