// The sample tables' resolutions, and which of their rollups exist.
import type { Db } from "../database";

/** `period` of a row: a raw sample (one tick), a minute's rollup, an hour's. */
export const RAW = 0;
export const MINUTE = 60;
export const HOUR = 3600;

/**
 * The start of the newest bucket of `period` host `hostId` has rolled up (within `at`, when
 * given), or null if none. The host's row of a bucket is written in the same transaction as
 * its guests' (compaction.ts): it marks which buckets exist, for every guest at once.
 */
export async function newestRollup(
  db: Db,
  hostId: string | null,
  period: number,
  at?: { gte?: Date; lte?: Date },
): Promise<Date | null> {
  const row = await db.hostSample.findFirst({
    where: { hostId, period, ...(at ? { at } : {}) },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  return row?.at ?? null;
}
