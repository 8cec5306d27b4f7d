// Guests as people see them — one read for the web's pages and the daemon's API, so both
// show a guest the same way and hide the same guests. Takes a database handle and the
// person reading; the stored strings are parsed once, in the views (lib/shared/views.ts).
import type { Actor } from "../../shared/permissions";
import { can, guestListScope } from "../../shared/permissions";
import type { NetworkSettings } from "../../shared/network";
import { guestIdSchema, type GuestState, type GuestView } from "../../shared/protocol";
import { parseGuestState } from "../../shared/stored";
import { guestViewInclude, toGuestView } from "../../shared/row-views";
import type { Db } from "../database";

export interface GuestReader {
  db: Db;
  /** The host's network settings, which a guest's addresses are shown with. */
  network: NetworkSettings;
}

/** The guests `actor` may see in lists: everyone's, or only their own. */
export function visibleGuestsWhere(actor: Actor): { ownerId?: string } {
  return guestListScope(actor) === "own" ? { ownerId: actor.id } : {};
}

export async function listGuests({ db, network }: GuestReader, actor: Actor): Promise<GuestView[]> {
  const rows = await db.guest.findMany({
    where: visibleGuestsWhere(actor),
    orderBy: { name: "asc" },
    include: guestViewInclude,
  });
  return rows.map((row) => toGuestView(row, network));
}

/**
 * The guest `rawId` names as `actor` may see it; null for a malformed id, a guest that does
 * not exist, and one they may not see alike — a developer learns nothing of others' guests.
 */
export async function findGuest(reader: GuestReader, actor: Actor, rawId: string): Promise<GuestView | null> {
  const id = guestIdSchema.safeParse(rawId);
  if (!id.success) return null;
  const view = await readGuest(reader, id.data);
  return view && can(actor, "guest.read", view) ? view : null;
}

/** A guest by id with no one's visibility applied: for callers that have authorized already. */
export async function readGuest({ db, network }: GuestReader, id: string): Promise<GuestView | null> {
  const row = await db.guest.findUnique({ where: { id }, include: guestViewInclude });
  return row ? toGuestView(row, network) : null;
}

/** Every guest, in the few fields the consolidation report counts (it is for those who see all). */
export async function listGuestsForReport(
  db: Db,
): Promise<Array<{ id: string; name: string; state: GuestState; memoryMiB: number }>> {
  const rows = await db.guest.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, state: true, memoryMiB: true },
  });
  return rows.map((g) => ({ ...g, state: parseGuestState(g.state) }));
}
