import { bucketStart, HOUR, MINUTE, RAW, retentionMs, ROLLUPS } from "./rollup";

/** The sample tables as compaction sees them; metrics-store.ts backs them with the database. */
export interface SampleTables {
  /** Start of the newest host row of `period`, or null. Host rows mark which buckets exist. */
  latestAt(period: number): Promise<number | null>;
  /** Time of the oldest host row of `period` at or after `fromMs`, or null. */
  firstAt(period: number, fromMs: number): Promise<number | null>;
  /**
   * Writes the rollups of `from` rows in the bucket of `period` starting at `startMs`, all or
   * nothing: a row per guest (rollupGuest) and the host's (rollupHost), of `period`, at its start.
   */
  rollUp(from: number, period: number, startMs: number): Promise<void>;
  deleteBefore(period: number, beforeMs: number): Promise<void>;
}

/**
 * Rolls every closed bucket not yet rolled up into minute and then hour rows, then drops
 * rows past their retention. Idempotent and restartable: the newest rollup row is the
 * watermark, each bucket is written in one transaction, and rolling up always precedes
 * deleting, so a daemon that was down for days catches up from what it left behind.
 */
export async function compactSamples(t: SampleTables, nowMs: number, retentionDays: number): Promise<number> {
  let written = 0;
  for (const { period, from } of ROLLUPS) {
    const ms = period * 1000;
    const closedBefore = bucketStart(nowMs, period);
    const done = await t.latestAt(period);
    let cursor = done === null ? 0 : done + ms;
    for (;;) {
      const first = await t.firstAt(from, cursor);
      if (first === null) break;
      const start = bucketStart(first, period);
      if (start >= closedBefore) break;
      await t.rollUp(from, period, start);
      written++;
      cursor = start + ms;
    }
  }
  for (const period of [RAW, MINUTE, HOUR]) await t.deleteBefore(period, nowMs - retentionMs(period, retentionDays));
  return written;
}
