// Which host runs a guest, and the rule that only that host's daemon acts on it. The one
// lookup every route, bulk action and socket event that names a guest goes through
// (route-table.ts, guest-bulk.ts, realtime/console-events.ts): it finds the guest's owner for
// the permission check and its host, whose daemon is then asked to act (host-relay.ts).
import type { Action } from "../../lib/shared/permissions";
import type { Db } from "../db";

/** This daemon's host, as registered (host-registry.ts). */
export interface ThisHost {
  id: string;
  name: string;
}

/** What the checks need of a guest: its owner (permissions) and its host (this rule). */
export interface GuestPlace {
  name: string;
  ownerId: string | null;
  hostId: string | null;
  host: { name: string } | null;
}

const placeSelect = { name: true, ownerId: true, hostId: true, host: { select: { name: true } } } as const;

/** The guest `id` names, in what the checks need; null when there is none. */
export function findGuestPlace(db: Db, id: string): Promise<GuestPlace | null> {
  return db.guest.findUnique({ where: { id }, select: placeSelect });
}

/**
 * Whether `action` must run on the guest's own host: everything but reading it (its record,
 * boots and snapshots are in the shared database; a reader on any host sees them).
 */
export function actsOnHost(action: Action): boolean {
  return action !== "guest.read";
}

/** Gives this host every guest no host has claimed (those from before hosts existed). */
export async function claimUnhostedGuests(db: Db, here: ThisHost): Promise<number> {
  const { count } = await db.guest.updateMany({ where: { hostId: null }, data: { hostId: here.id } });
  return count;
}
