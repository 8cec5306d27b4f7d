import type { Guest } from "../../generated/prisma/client";
import { beginBoot, endBoot, endedBoot, markReady, nextBootNumber, type BootEnd } from "../boots/boot-records";
import { conflictFromUniqueViolation } from "../errors";
import type { BootAnalyst } from "../boots/boot-analyst";
import type { Db } from "../db";
import type { GuestStore } from "./guest-store";

// What the keeper reports of a kernel, written to the guest's boot records and state, each
// in the guest's turn. The keeper replays what the daemon did not acknowledge, so each
// write must be safe to apply twice: a replayed transition is refused (a conflict the
// runner ignores), a replayed boot record is found already there.

export interface Recorder {
  db: Db;
  store: GuestStore;
  guestId: string;
  /** Analyses each boot once it is ready and once it has ended, after the transition. */
  analyst: BootAnalyst;
}

/** The boot reached readiness: recorded, and a booting guest becomes running. */
export async function recordReady({ db, store, guestId, analyst }: Recorder, boot: number, at: Date): Promise<void> {
  const row = await store.exclusive(guestId, async () => {
    const ready = { update: { where: { guestId_number: { guestId, number: boot } }, data: { readyAt: at } } };
    const advanced = await store.advance(guestId, { type: "ready" }, { number: boot, write: ready });
    // Not booting (a replay, a guest already stopping): the boot is marked ready all the same.
    return advanced ? advanced.boot : await markReady(db, guestId, boot, at);
  });
  void analyst.analyse(boot, row);
}

/**
 * The kernel restarted itself: boot `boot` ended as rebooted and `boot + 1` began at `at`. One
 * write for both records and the state: a reader between them would see the new boot with
 * the old boot's "running" (and a stop sent then finds no mconsole: the kernel is re-executing).
 */
export async function recordReboot(
  { db, store, guestId, analyst }: Recorder,
  boot: number,
  at: Date,
  logBytes: number,
): Promise<void> {
  await store.exclusive(guestId, async () => {
    const end: BootEnd = { outcome: "rebooted", detail: null, logBytes, at };
    const next = { guestId_number: { guestId, number: boot + 1 } };
    const write = {
      update: { where: { guestId_number: { guestId, number: boot } }, data: endedBoot(end) },
      upsert: { where: next, create: { number: boot + 1, startedAt: at }, update: {} },
    };
    if (await store.advance(guestId, { type: "reboot" }, { number: boot + 1, write })) return;
    // Not live (a replay, a guest already stopping): both boots are recorded all the same.
    await endBoot(db, guestId, boot, end);
    await store.announce(await store.read(guestId), { boot: await beginBoot(db, guestId, boot + 1, at) });
  });
  void analyst.analyse(boot);
}

/** The kernel is gone: its last boot ended with `outcome`, and the guest stopped or crashed. */
export async function recordExit({ db, store, guestId, analyst }: Recorder, boot: number, end: BootEnd): Promise<void> {
  const row = await store.exclusive(guestId, async () => {
    const event = { type: "exit", outcome: end.outcome } as const;
    const ended = { update: { where: { guestId_number: { guestId, number: boot } }, data: endedBoot(end) } };
    const options = { reason: end.detail, pid: null };
    const advanced = await store.advance(guestId, event, { number: boot, write: ended }, options);
    if (advanced) return advanced.boot;
    // Not live (a replay): the boot's end is recorded all the same, and the transition refused.
    const record = await endBoot(db, guestId, boot, end);
    await store.transition(await store.read(guestId), event, { ...options, boot: record });
    return record;
  });
  void analyst.analyse(boot, row);
}

/**
 * Something people should know about a running guest (its network failed, its console is no
 * longer recorded). Browsers hear it even when the database cannot store it (a full disk).
 */
export function recordNotice(
  { db, store, guestId }: Pick<Recorder, "db" | "store" | "guestId">,
  reason: string,
): Promise<void> {
  return store.exclusive(guestId, async () => {
    const stored = await db.guest.update({ where: { id: guestId }, data: { stateReason: reason } }).catch(() => null);
    await store.announce(stored ?? (await store.read(guestId)), { reason });
  });
}

/** A start that failed after its boot was recorded: the boot ends as failed, the guest crashes. */
export async function recordFailedSpawn(
  { db, store }: { db: Db; store: GuestStore },
  guest: Guest,
  boot: number,
  reason: string,
) {
  // Already in the guest's turn, with the guest as just written: no queueing behind ourselves, no re-read.
  const record = await db.boot.update({
    where: { guestId_number: { guestId: guest.id, number: boot } },
    data: { endedAt: new Date(), outcome: "failed", detail: reason },
  });
  await store.transition(guest, { type: "exit", outcome: "failed" }, { reason, pid: null, boot: record });
}

/**
 * Admits a queued guest: it becomes booting and its boot is recorded, in one write, with the
 * number its start foresaw; null, having written nothing, if it is not queued any more (a stop
 * unqueued it). `boot.number` is moved on if that number was taken meanwhile (not expected:
 * only admission boots a queued guest).
 */
export async function recordAdmittedBoot(
  { db, store }: { db: Db; store: GuestStore },
  guestId: string,
  boot: { number: number; startedAt: Date },
) {
  const admit = () =>
    store.advance(guestId, { type: "admit" }, { number: boot.number, write: { create: { ...boot } } });
  return admit().catch(async (err) => {
    if (!conflictFromUniqueViolation(err)) throw err;
    boot.number = await nextBootNumber(db, guestId);
    return admit();
  });
}
