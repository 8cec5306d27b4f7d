import { logger } from "../log";
import { dbProvider, sqliteTime, type Db } from "../db";

const log = logger("quotas");

// Every guest measured, in one statement; a row changes (and its time with it) only where the
// bytes did. Idle guests' copy-on-write layers grow a little all the time, so nearly every
// guest changes between measurements: an upsert each through Prisma (500 guests, every
// minute) was the idle daemon's largest cost after sampling, and reading the rows first to
// leave out unchanged ones cost more than letting the database skip them.
// A guest deleted meanwhile is skipped: it has no row to hang a measurement on.
const UPSERT = {
  sqlite:
    `INSERT INTO "GuestDisk" ("guestId", "bytes", "measuredAt") ` +
    `SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?) ` +
    `WHERE json_extract(value, '$[0]') IN (SELECT "id" FROM "Guest") ` +
    `ON CONFLICT ("guestId") DO UPDATE SET "bytes" = excluded."bytes", "measuredAt" = excluded."measuredAt" ` +
    `WHERE "GuestDisk"."bytes" IS NOT excluded."bytes"`,
  postgresql:
    `INSERT INTO "GuestDisk" ("guestId", "bytes", "measuredAt") ` +
    `SELECT r."guestId", r."bytes", r."measuredAt" FROM json_populate_recordset(NULL::"GuestDisk", $1::json) AS r ` +
    `WHERE r."guestId" IN (SELECT "id" FROM "Guest") ` +
    `ON CONFLICT ("guestId") DO UPDATE SET "bytes" = EXCLUDED."bytes", "measuredAt" = EXCLUDED."measuredAt" ` +
    `WHERE "GuestDisk"."bytes" IS DISTINCT FROM EXCLUDED."bytes"`,
};

/**
 * Records guests' disk use, measured at `measuredAt` (the time kept only where it changed).
 * A failure is logged: the next measurement writes it again.
 */
export async function writeGuestDisk(db: Db, rows: Array<{ guestId: string; bytes: number }>, measuredAt: Date) {
  if (!rows.length) return;
  const sqlite = dbProvider(db) === "sqlite";
  const json = sqlite
    ? JSON.stringify(rows.map((r) => [r.guestId, r.bytes, sqliteTime(measuredAt)]))
    : JSON.stringify(rows.map((r) => ({ ...r, measuredAt })));
  // A guest deleted between the check and the write (PostgreSQL, another connection) fails the statement.
  await db
    .$executeRawUnsafe(sqlite ? UPSERT.sqlite : UPSERT.postgresql, json)
    .catch((err: unknown) =>
      log.warn("recording guests' disk use failed", { err: err instanceof Error ? err.message : String(err) }),
    );
}
