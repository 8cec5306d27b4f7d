import { formatBytes } from "../../lib/shared/format";
import type { BootOutcome } from "../../lib/shared/protocol";
import { bootViewInclude } from "../../lib/shared/row-views";
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

export interface BootEnd {
  outcome: BootOutcome;
  detail: string | null;
  logBytes: number;
  at: Date;
}

/** What a boot's end writes to its record. */
export const endedBoot = (end: BootEnd) => ({
  endedAt: end.at,
  outcome: end.outcome,
  detail: end.detail,
  logBytes: end.logBytes,
});

export function endBoot(db: Db, guestId: string, number: number, end: BootEnd) {
  return db.boot.update({
    where: { guestId_number: { guestId, number } },
    data: endedBoot(end),
    // The health analysed at readiness stays on the guest until the boot's end is analysed.
    include: bootViewInclude,
  });
}

/** The boot's log reached CORRAL_BOOT_LOG_MAX_MIB: recording stopped; the guest ran on. */
export function markLogTruncated(db: Db, guestId: string, number: number) {
  return db.boot.updateMany({ where: { guestId, number }, data: { logTruncated: true } });
}

/** These boots' log files were removed to keep the guest's logs within CORRAL_GUEST_LOGS_MAX_MIB. */
export function markLogsPruned(db: Db, guestId: string, numbers: number[], at: Date) {
  return db.boot.updateMany({
    where: { guestId, number: { in: numbers }, logPrunedAt: null },
    data: { logPrunedAt: at },
  });
}

/** What to say about a log that was pruned (the API's answer for it). */
export function bootLogPrunedMessage(at: Date, guestMaxBytes: number): string {
  return (
    `This boot's log was removed on ${at.toISOString()} to keep the guest's logs within ${formatBytes(guestMaxBytes)} ` +
    `(CORRAL_GUEST_LOGS_MAX_MIB); the oldest boots' logs go first. Its record is kept.`
  );
}
