import type { BootOutcome } from "../../lib/shared/protocol";
import type { Boot } from "../../generated/prisma/client";
import type { Db } from "../db";

export async function nextBootNumber(db: Db, guestId: string): Promise<number> {
  const last = await db.boot.findFirst({ where: { guestId }, orderBy: { number: "desc" }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}

/** Idempotent: a replayed "boot began" finds its record already there. */
export function beginBoot(db: Db, guestId: string, number: number, startedAt: Date): Promise<Boot> {
  return db.boot.upsert({
    where: { guestId_number: { guestId, number } },
    create: { guestId, number, startedAt },
    update: {},
  });
}

export function markFirstOutput(db: Db, guestId: string, number: number, at: Date) {
  return db.boot.update({ where: { guestId_number: { guestId, number } }, data: { firstOutputAt: at } });
}

export function markReady(db: Db, guestId: string, number: number, at: Date) {
  return db.boot.update({ where: { guestId_number: { guestId, number } }, data: { readyAt: at } });
}

export function endBoot(
  db: Db,
  guestId: string,
  number: number,
  end: { outcome: BootOutcome; detail: string | null; logBytes: number; at: Date },
) {
  return db.boot.update({
    where: { guestId_number: { guestId, number } },
    data: { endedAt: end.at, outcome: end.outcome, detail: end.detail, logBytes: end.logBytes },
  });
}

export function lastBoot(db: Db, guestId: string): Promise<Boot | null> {
  return db.boot.findFirst({ where: { guestId }, orderBy: { number: "desc" } });
}
