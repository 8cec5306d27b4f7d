import "server-only";
import { can, guestListScope, type Actor } from "@/lib/shared/permissions";
import {
  bootNumberSchema,
  guestIdSchema,
  type BootView,
  type GuestView,
  type SnapshotView,
} from "@/lib/shared/protocol";
import { guestViewInclude, toBootView, toGuestView, toSnapshotView } from "@/lib/shared/views";
import { webEnv } from "@/lib/server/env";
import { db } from "@/lib/server/web-db";

// Reads for server components, shaped exactly as the daemon's API shapes them and limited
// as it limits them. A malformed id or number, and a guest this person may not see, read as
// "not found", as in the API: a developer learns nothing about other people's guests.

/** The guests `actor` may see in lists: everyone's, or only their own. */
export function visibleGuestsWhere(actor: Actor): { ownerId?: string } {
  return guestListScope(actor) === "own" ? { ownerId: actor.id } : {};
}

export async function listGuests(actor: Actor): Promise<GuestView[]> {
  const rows = await db.guest.findMany({
    where: visibleGuestsWhere(actor),
    orderBy: { name: "asc" },
    include: guestViewInclude,
  });
  return rows.map((row) => toGuestView(row, webEnv().network));
}

export async function findGuest(rawId: string, actor: Actor): Promise<GuestView | null> {
  const id = guestIdSchema.safeParse(rawId);
  if (!id.success) return null;
  const row = await db.guest.findUnique({ where: { id: id.data }, include: guestViewInclude });
  return row && can(actor, "guest.read", row) ? toGuestView(row, webEnv().network) : null;
}

// The reads below take a guest that findGuest returned: the check is done there.

export async function listBoots(guestId: string): Promise<BootView[]> {
  const rows = await db.boot.findMany({ where: { guestId }, orderBy: { number: "desc" } });
  return rows.map(toBootView);
}

export async function findBoot(guestId: string, rawNumber: string): Promise<BootView | null> {
  const n = bootNumberSchema.safeParse(rawNumber);
  if (!n.success) return null;
  const row = await db.boot.findUnique({ where: { guestId_number: { guestId, number: n.data } } });
  return row ? toBootView(row) : null;
}

export async function listSnapshots(guestId: string): Promise<SnapshotView[]> {
  const rows = await db.snapshot.findMany({ where: { guestId }, orderBy: { createdAt: "desc" } });
  return rows.map(toSnapshotView);
}
