import type { Prisma } from "../../generated/prisma/client";
import { withLastBoot } from "../../lib/server/reads/last-boots";
import { guestViewInclude, type BootRow } from "../../lib/shared/row-views";
import { nextBootNumber } from "../boots/boot-records";
import type { Db } from "../db";
import type { GuestPlace, ThisHost } from "../hosts/guest-host";
import type { GuestStore } from "./guest-store";
import { launchInclude, type LaunchRow } from "./launch-guest";

/** What the boot's quota check needs of the owner (auth/quotas.ts), read with the start. */
const ownerSelect = { username: true, role: true, maxGuests: true, maxMemoryMiB: true, maxDiskMiB: true } as const;

/**
 * What a start reads of the guest: for its decision, its event, its answer and its boot (the
 * image's copies, the forwards, the newest boot's number, the owner's quota). Not its host:
 * see readStartRow. Prisma reads each relation with a query of its own (no joins on SQLite).
 */
const startInclude = {
  ...guestViewInclude,
  owner: { select: ownerSelect },
  image: launchInclude.image,
  host: false,
} as const;
type StartRead = Prisma.GuestGetPayload<{ include: typeof startInclude }>;
export type StartRow = StartRead & {
  boots: BootRow[];
  host: { name: string; lastSeenAt: Date; heartbeatSeconds: number } | null;
};

/** Where starts are read: this daemon's host, and how often it heartbeats. */
export interface StartHere {
  here: ThisHost;
  heartbeatSeconds: number;
}

/** This daemon's host as a view of one of its guests shows it: heard from now (it is answering). */
export const hostNow = ({ here, heartbeatSeconds }: StartHere) => ({
  name: here.name,
  lastSeenAt: new Date(),
  heartbeatSeconds,
});

/**
 * The guest with what a start needs. Its host is this daemon's for every guest started here
 * (another host's are relayed there): not read, but hostNow.
 */
export async function readStartRow(db: Db, where: StartHere, id: string): Promise<StartRow | null> {
  const read = await db.guest.findUnique({ where: { id }, include: startInclude });
  if (!read) return null;
  const [row] = await withLastBoot(db, [read]);
  const host =
    row.hostId === where.here.id
      ? hostNow(where)
      : row.hostId
        ? await db.host.findUnique({
            where: { id: row.hostId },
            select: { name: true, lastSeenAt: true, heartbeatSeconds: true },
          })
        : null;
  return { ...row, host };
}

/**
 * Rows a start route's authorization read (http/guest-routes.ts), for the start to use instead
 * of reading the guest again in its turn when no turn of the guest came in between
 * (GuestStore.markRead); keyed by the row the route passes on, so only a row read here
 * counts, and forgotten with it.
 */
export class StartReads {
  private readonly reads = new WeakMap<GuestPlace, { row: StartRow; mark: number }>();

  constructor(
    private readonly db: Db,
    private readonly store: GuestStore,
    private readonly where: StartHere,
  ) {}

  async read(id: string): Promise<StartRow | null> {
    const mark = this.store.markRead(id);
    const row = await readStartRow(this.db, this.where, id);
    if (row && mark !== null) this.reads.set(row, { row, mark });
    return row;
  }

  /** The row as read, if `read` is one of ours and nothing of this daemon's touched the guest since. */
  usable(id: string, read: GuestPlace | undefined): StartRow | null {
    const r = read && this.reads.get(read);
    return r && r.row.id === id && this.store.unchangedSince(id, r.mark) ? r.row : null;
  }
}

export interface AcceptedStart {
  row: LaunchRow & { owner?: StartRow["owner"] };
  /** The number its boot will take: the start read the guest's newest boot. */
  nextBoot: number;
}

/**
 * What a start read, kept until the guest's boot is admitted, so the boot needs no query
 * before its admission's write (it needed six: the guest with its image, copies and
 * forwards, its boot number, its owner's quota). Safe because nothing changes a queued
 * guest's relations (it cannot be edited or deleted) and only its admission boots it; whether
 * it is still queued (a stop may have unqueued it) the admission's write finds, and its own
 * row comes back from it. The owner's quota is as it was when the start was accepted.
 */
export class AcceptedStarts {
  private readonly starts = new Map<string, { row: StartRow; nextBoot: number }>();

  remember(row: StartRow): void {
    this.starts.set(row.id, { row, nextBoot: (row.boots[0]?.number ?? 0) + 1 });
  }

  /** The row a start of this daemon's accepted and remembers, as written then: the guest is queued if it is unchanged. */
  peek(id: string): StartRow | null {
    return this.starts.get(id)?.row ?? null;
  }

  forget(id: string): void {
    this.starts.delete(id);
  }

  /** The guest to boot now, or null if it is gone; read whole for a start this daemon did not accept (before a restart). */
  async take(db: Db, id: string): Promise<AcceptedStart | null> {
    const accepted = this.starts.get(id);
    this.starts.delete(id);
    if (accepted) return accepted;
    const row = await db.guest.findUnique({ where: { id }, include: launchInclude });
    return row && { row, nextBoot: await nextBootNumber(db, id) };
  }
}
