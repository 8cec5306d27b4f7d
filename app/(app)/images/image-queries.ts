import "server-only";
import type { Actor } from "@/lib/shared/permissions";
import type { ImageDetailView } from "@/lib/shared/protocol";
import { toSnapshotView } from "@/lib/shared/views";
import { db } from "@/lib/server/web-db";
import type { GuestState } from "@/lib/shared/protocol";
import { visibleGuestsWhere } from "../guests/guest-queries";

/**
 * An image with the guests on it that `actor` may see, and their snapshots (each a layer
 * over this image); null if there is no such image. `guestCount` counts every guest: it
 * decides whether the image may be deleted.
 */
export async function findImageDetail(
  rawId: string,
  actor: Actor,
): Promise<(ImageDetailView & { path: string }) | null> {
  if (!/^[a-z0-9]{1,40}$/.test(rawId)) return null;
  const img = await db.image.findUnique({
    where: { id: rawId },
    include: {
      owner: { select: { username: true } },
      _count: { select: { guests: true } },
      guests: {
        where: visibleGuestsWhere(actor),
        orderBy: { name: "asc" },
        select: { id: true, name: true, state: true, snapshots: { orderBy: { createdAt: "desc" } } },
      },
    },
  });
  if (!img) return null;
  return {
    id: img.id,
    name: img.name,
    path: img.path,
    sizeBytes: Number(img.sizeBytes),
    sha256: img.sha256,
    builtIn: img.builtIn,
    createdAt: img.createdAt.toISOString(),
    guestCount: img._count.guests,
    ownerId: img.ownerId,
    ownerName: img.owner?.username ?? null,
    guests: img.guests.map((g) => ({
      id: g.id,
      name: g.name,
      state: g.state as GuestState,
      snapshots: g.snapshots.map(toSnapshotView),
    })),
  };
}
