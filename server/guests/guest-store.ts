import type { Guest } from "../../generated/prisma/client";
import { parseGuestState } from "../../lib/shared/stored";
import { toBootView, type BootRow } from "../../lib/shared/row-views";
import { lastBoot } from "../boots/boot-records";
import type { Db } from "../db";
import { conflict, NO_SUCH_GUEST, notFound } from "../errors";
import type { EventBus } from "../events";
import { nextGuestState, type GuestEvent } from "./state-machine";

export interface TransitionOptions {
  reason?: string | null;
  pid?: number | null;
  /** The guest's newest boot when the caller has it at hand (it is read otherwise). */
  boot?: BootRow | null;
  /**
   * Runs once the state machine has allowed the move and before anything is written: a
   * refusal here changes nothing. It may return the boot it recorded, for the event to carry.
   */
  before?: () => Promise<BootRow | void> | BootRow | void;
}

/**
 * The guests' turns and transitions. Transitions of one guest run one at a time (an HTTP
 * request and a kernel event can race), so a guest read at the start of a turn is still
 * the guest when the turn writes. A transition decides once, from that read, writes once
 * and announces once.
 */
export class GuestStore {
  private readonly turns = new Map<string, Promise<unknown>>();
  /** Guests this daemon is moving to another host, or has moved there: why nothing here may act on them. */
  private readonly away = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  /**
   * Runs `fn` in this guest's turn: nothing else for the guest interleaves with it. A guest
   * marked away (hosts/guest-migration.ts) is refused when its turn comes, so nothing queued
   * behind the migration's check acts on files that are moving or gone.
   */
  exclusive<T>(guestId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.turns.get(guestId) ?? Promise.resolve();
    const guarded = () => {
      const why = this.away.get(guestId);
      return why ? Promise.reject(conflict(why)) : fn();
    };
    const next = prev.then(guarded, guarded);
    const settled = next.catch(() => {});
    this.turns.set(guestId, settled);
    void settled.then(() => {
      if (this.turns.get(guestId) === settled) this.turns.delete(guestId);
    });
    return next;
  }

  /** Marks the guest as moving or moved away (`why` is the refusal), or back here (null). */
  markAway(guestId: string, why: string | null): void {
    if (why) this.away.set(guestId, why);
    else this.away.delete(guestId);
  }

  /** The guest as stored; read it inside its turn. */
  async read(guestId: string): Promise<Guest> {
    const g = await this.db.guest.findUnique({ where: { id: guestId } });
    if (!g) throw notFound(NO_SUCH_GUEST);
    return g;
  }

  /**
   * Moves `guest` (as read in this turn) along `event` — a conflict if the state machine
   * refuses, before anything is written — and tells browsers. Returns the guest as written.
   */
  async transition(guest: Guest, event: GuestEvent, options: TransitionOptions = {}): Promise<Guest> {
    const next = nextGuestState(parseGuestState(guest.state), event);
    const recorded = await options.before?.();
    const written = await this.db.guest.update({
      where: { id: guest.id },
      data: {
        state: next,
        stateReason: options.reason ?? null,
        ...(options.pid !== undefined ? { pid: options.pid } : {}),
      },
    });
    await this.announce(written, { boot: recorded ?? options.boot });
    return written;
  }

  /**
   * Tells browsers where the guest is. `reason` overrides the stored one (when it could not
   * be stored); the newest boot is read only if the caller does not have it.
   */
  async announce(guest: Guest, options: { boot?: BootRow | null; reason?: string } = {}): Promise<void> {
    const boot = options.boot === undefined ? await lastBoot(this.db, guest.id) : options.boot;
    this.bus.emit("guest:state", {
      id: guest.id,
      ownerId: guest.ownerId,
      state: parseGuestState(guest.state),
      stateReason: options.reason ?? guest.stateReason,
      updatedAt: guest.updatedAt.toISOString(),
      lastBoot: boot ? toBootView(boot) : null,
    });
  }
}
