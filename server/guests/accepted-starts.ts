import type { Prisma } from "../../generated/prisma/client";
import { guestViewInclude } from "../../lib/shared/row-views";
import { nextBootNumber } from "../boots/boot-records";
import type { Db } from "../db";
import type { GuestPlace } from "../hosts/guest-host";
import type { GuestStore } from "./guest-store";
import { launchInclude, type LaunchRow } from "./launch-guest";

/** What a start reads of the guest: for its decision, its event, its answer and its boot. */
export const startInclude = { ...guestViewInclude, image: launchInclude.image } as const;
export type StartRow = Prisma.GuestGetPayload<{ include: typeof startInclude }>;

export function readForStart(db: Db, id: string): Promise<StartRow | null> {
  return db.guest.findUnique({ where: { id }, include: startInclude });
}

/**
 * Rows a start route's authorization read (http/guest-routes.ts), for the start to use instead
 * of reading the guest again in its turn — one query of five — when no turn of the guest came
 * in between (GuestStore.markRead); keyed by the row the route passes on, so only a row read
 * here counts, and forgotten with it.
 */
export class StartReads {
  private readonly reads = new WeakMap<GuestPlace, { row: StartRow; mark: number }>();

  constructor(
    private readonly db: Db,
    private readonly store: GuestStore,
  ) {}

  async read(id: string): Promise<StartRow | null> {
    const mark = this.store.markRead(id);
    const row = await readForStart(this.db, id);
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
  row: LaunchRow;
  /** The number its boot will take: the start read the guest's newest boot. */
  nextBoot: number;
}

/**
 * What a start read, kept until the guest's boot is admitted, so the boot needs no query
 * before its admission's write (it needed five: the guest with its image, copies and
 * forwards, and its boot number). Safe because nothing changes a queued guest's relations (it
 * cannot be edited or deleted) and only its admission boots it; whether it is still queued (a
 * stop may have unqueued it) the admission's write finds, and its own row comes back from it.
 */
export class AcceptedStarts {
  private readonly starts = new Map<string, AcceptedStart>();

  remember(id: string, start: AcceptedStart): void {
    this.starts.set(id, start);
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
