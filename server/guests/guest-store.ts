import type { GuestState } from "../../lib/shared/protocol";
import type { Db } from "../db";
import { notFound } from "../errors";
import type { EventBus } from "../events";
import { lastBoot } from "../boots/boot-records";
import { toBootView } from "../../lib/shared/views";
import { nextGuestState, type GuestEvent } from "./state-machine";

/**
 * Applies state-machine transitions to the database and announces them. Transitions of
 * one guest run one at a time (an HTTP request and a kernel event can race), each reading
 * the state it checks from the database inside its turn.
 */
export class GuestStore {
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  /** Runs `fn` in this guest's turn: nothing else for the guest interleaves with it. */
  exclusive<T>(guestId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.turns.get(guestId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => {});
    this.turns.set(guestId, settled);
    void settled.then(() => {
      if (this.turns.get(guestId) === settled) this.turns.delete(guestId);
    });
    return next;
  }

  async state(guestId: string): Promise<GuestState> {
    const g = await this.db.guest.findUnique({ where: { id: guestId }, select: { state: true } });
    if (!g) throw notFound("No such guest. It may have been deleted.");
    return g.state as GuestState;
  }

  /**
   * Moves the guest along `event` (throws a conflict if the state machine refuses) and
   * pushes the new state to browsers. Call inside `exclusive`.
   */
  async apply(
    guestId: string,
    event: GuestEvent,
    extra: { reason?: string | null; pid?: number | null } = {},
  ): Promise<GuestState> {
    const next = nextGuestState(await this.state(guestId), event);
    await this.db.guest.update({
      where: { id: guestId },
      data: {
        state: next,
        stateReason: extra.reason ?? null,
        ...(extra.pid !== undefined ? { pid: extra.pid } : {}),
      },
    });
    await this.announce(guestId);
    return next;
  }

  /** Pushes the guest's state to browsers; `reason` overrides the stored one (when it could not be stored). */
  async announce(guestId: string, reason?: string): Promise<void> {
    const g = await this.db.guest.findUnique({ where: { id: guestId } });
    if (!g) return;
    const boot = await lastBoot(this.db, guestId);
    this.bus.emit("guest:state", {
      id: guestId,
      ownerId: g.ownerId,
      state: g.state as GuestState,
      stateReason: reason ?? g.stateReason,
      updatedAt: g.updatedAt.toISOString(),
      lastBoot: boot ? toBootView(boot) : null,
    });
  }
}
