import { nextBootNumber } from "../boots/boot-records";
import type { Db } from "../db";
import { launchInclude, type LaunchRow } from "./launch-guest";

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
