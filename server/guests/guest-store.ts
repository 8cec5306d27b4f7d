import type { Guest, Prisma } from "../../generated/prisma/client";
import type { GuestState } from "../../lib/shared/protocol";
import { parseGuestState } from "../../lib/shared/stored";
import { bootViewInclude, toBootView, type BootRow } from "../../lib/shared/row-views";
import { lastBoot } from "../../lib/server/reads/last-boots";
import type { Db } from "../db";
import { conflict, NO_SUCH_GUEST, notFound } from "../errors";
import type { EventBus } from "../events";
import { moveOf, nextGuestState, type GuestEvent } from "./state-machine";
import { isPrismaError, NOT_FOUND } from "../../lib/server/prisma-errors";

/** A write to one of the guest's boot records (`number`), made with its state (see advance). */
export interface BootWrite {
  number: number;
  write: NonNullable<Prisma.GuestUpdateInput["boots"]>;
}

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
  // Each turn's place in the order turns were queued, and the newest of each guest's (one
  // number per guest this daemon acted on): see markRead.
  private queuedTurns = 0;
  private readonly lastQueued = new Map<string, number>();
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
    this.lastQueued.set(guestId, ++this.queuedTurns);
    const next = prev.then(guarded, guarded);
    const settled = next.catch(() => {});
    this.turns.set(guestId, settled);
    void settled.then(() => {
      if (this.turns.get(guestId) === settled) this.turns.delete(guestId);
    });
    return next;
  }

  /**
   * For a read of the guest made outside its turn (the route's authorization): a mark taken
   * before the read, null while a turn of the guest is queued or running (its writes may be
   * half done). If `unchangedSince(mark)` when a turn is queued, no turn of this daemon came
   * between the read and that turn, which may then act on the row as read — writes from
   * elsewhere still need a conditional write (transition's `ifUnchanged`).
   */
  markRead(guestId: string): number | null {
    return this.turns.has(guestId) ? null : this.queuedTurns;
  }

  unchangedSince(guestId: string, mark: number): boolean {
    return (this.lastQueued.get(guestId) ?? 0) <= mark;
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
   *
   * `ifUnchanged`, for a guest read before its turn (see markRead): the write is conditional
   * on the stored row being the one read (its state and its `updatedAt`, which every write to
   * it moves on), and instead of refusing, this returns null, having written nothing, when it
   * is not or the state machine refuses: the caller reads the guest again.
   */
  transition(guest: Guest, event: GuestEvent, options?: TransitionOptions): Promise<Guest>;
  transition(
    guest: Guest,
    event: GuestEvent,
    options: TransitionOptions & { ifUnchanged: true },
  ): Promise<Guest | null>;
  async transition(
    guest: Guest,
    event: GuestEvent,
    options: TransitionOptions & { ifUnchanged?: true } = {},
  ): Promise<Guest | null> {
    const { ifUnchanged } = options;
    let next: GuestState;
    try {
      next = nextGuestState(parseGuestState(guest.state), event);
    } catch (refused) {
      if (ifUnchanged) return null; // decided on a row that may be stale: the caller reads again
      throw refused;
    }
    const recorded = await options.before?.();
    const written = await this.db.guest
      .update({
        where: ifUnchanged ? { id: guest.id, state: guest.state, updatedAt: guest.updatedAt } : { id: guest.id },
        data: {
          state: next,
          stateReason: options.reason ?? null,
          ...(options.pid !== undefined ? { pid: options.pid } : {}),
        },
      })
      .catch((err: unknown) => {
        if (ifUnchanged && isPrismaError(err, NOT_FOUND)) return null;
        throw err;
      });
    if (written) await this.announce(written, { boot: recorded ?? options.boot });
    return written;
  }

  /**
   * transition() for a guest not read in this turn: one write, conditional on the stored state
   * being one `event` is allowed from, that writes the boot record (`boot`) in the same
   * transaction — one commit and one query where a read and two writes took two and three,
   * for each admitted boot, readiness and exit of a storm. Returns the guest as written and
   * the boot, announced; null when the stored state does not allow `event`, having written
   * nothing (the caller decides what transition() would have refused).
   */
  async advance(
    guestId: string,
    event: GuestEvent,
    boot: BootWrite,
    options: Pick<TransitionOptions, "reason" | "pid"> = {},
  ): Promise<{ guest: Guest; boot: BootRow | null } | null> {
    const move = moveOf(event);
    if (!move) throw new Error(`"${event.type}" leads to different states; use transition()`);
    // A boot this write creates has no analysis yet: not looked for (one query fewer per boot).
    const created = "create" in boot.write;
    const written = await this.db.guest
      .update({
        where: { id: guestId, state: { in: move.from } },
        data: {
          state: move.to,
          stateReason: options.reason ?? null,
          ...(options.pid !== undefined ? { pid: options.pid } : {}),
          boots: boot.write,
        },
        include: { boots: { where: { number: boot.number }, ...(created ? {} : { include: bootViewInclude }) } },
      })
      .catch((err: unknown) => {
        if (isPrismaError(err, NOT_FOUND)) return null; // not in such a state (or gone)
        throw err;
      });
    if (!written) return null;
    const { boots, ...guest } = written;
    const record = boots[0] ?? null;
    await this.announce(guest, { boot: record });
    return { guest, boot: record };
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
