// Each guest's newest boot, as a guest's view shows it (its `lastBoot`). Hazard: Prisma's
// `boots: { orderBy: { number: "desc" }, take: 1 }` in an include reads every boot of the
// guests and keeps the first of each in JavaScript — the cost grew with every boot ever
// recorded (500 guests of 100 boots: 50,000 rows, the consolidation page 108 → 388 ms).
// Here the newest is found by the (guestId, number) index, one seek a guest.
import { bootViewInclude, type BootRow } from "../../shared/row-views";
import type { Db } from "../database";
import { rawArgs } from "../raw-statement";

/** Guests per statement: well under either database's limit of arguments. */
const CHUNK = 500;

/**
 * The id of the newest boot of each of `guestIds` that has one. The subquery reads the
 * guest's boots newest first by the unique (guestId, number) index and stops at the first.
 */
async function lastBootIds(db: Db, guestIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < guestIds.length; i += CHUNK) {
    const a = rawArgs(db);
    const list = guestIds.slice(i, i + CHUNK).map((id) => a.text(id));
    const rows = await db.$queryRawUnsafe<Array<{ id: string | null }>>(
      `SELECT (SELECT b."id" FROM "Boot" b WHERE b."guestId" = g."id" ORDER BY b."number" DESC LIMIT 1) AS "id" ` +
        `FROM "Guest" g WHERE g."id" IN (${list.join(", ")})`,
      ...a.args,
    );
    for (const r of rows) if (r.id !== null) ids.push(r.id);
  }
  return ids;
}

/**
 * A guest's newest boot with its health. A query's own `take` is the statement's LIMIT (an
 * include's is not, above).
 */
export function lastBoot(db: Db, guestId: string): Promise<BootRow | null> {
  return db.boot.findFirst({ where: { guestId }, orderBy: { number: "desc" }, include: bootViewInclude });
}

/** `rows`, each with `boots`: its newest boot and that boot's health, or none. */
export async function withLastBoot<T extends { id: string }>(
  db: Db,
  rows: T[],
): Promise<Array<T & { boots: BootRow[] }>> {
  if (rows.length === 1) {
    // One guest (each start, a guest's page): the boot by its LIMIT, not its id first and then the boot.
    const boot = await lastBoot(db, rows[0].id);
    return [{ ...rows[0], boots: boot ? [boot] : [] }];
  }
  const ids = await lastBootIds(
    db,
    rows.map((r) => r.id),
  );
  const boots = ids.length ? await db.boot.findMany({ where: { id: { in: ids } }, include: bootViewInclude }) : [];
  const byGuest = new Map(boots.map((b) => [b.guestId, b]));
  return rows.map((r) => {
    const boot = byGuest.get(r.id);
    return { ...r, boots: boot ? [boot] : [] };
  });
}
