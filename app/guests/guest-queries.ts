import "server-only";
import { bootNumberSchema, guestIdSchema, type BootView, type GuestView, type SnapshotView } from "@/lib/protocol";
import { guestViewInclude, toBootView, toGuestView, toSnapshotView } from "@/lib/views";
import { db } from "@/lib/web-db";

// Reads for server components, shaped exactly as the daemon's API shapes them. A malformed
// id or number reads as "not found", as it does in the API.

export async function findGuest(rawId: string): Promise<GuestView | null> {
  const id = guestIdSchema.safeParse(rawId);
  if (!id.success) return null;
  const row = await db.guest.findUnique({ where: { id: id.data }, include: guestViewInclude });
  return row ? toGuestView(row) : null;
}

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
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    sizeBytes: Number(s.sizeBytes),
    createdAt: s.createdAt.toISOString(),
  }));
}
