import "server-only";
import type { ImageDetailView } from "@/lib/protocol";
import { toSnapshotView } from "@/lib/views";
import { db } from "@/lib/web-db";
import type { GuestState } from "@/lib/protocol";

/** An image with the guests on it and their snapshots (each a layer over this image); null if none. */
export async function findImageDetail(rawId: string): Promise<(ImageDetailView & { path: string }) | null> {
  if (!/^[a-z0-9]{1,40}$/.test(rawId)) return null;
  const img = await db.image.findUnique({
    where: { id: rawId },
    include: {
      guests: {
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
    guestCount: img.guests.length,
    guests: img.guests.map((g) => ({
      id: g.id,
      name: g.name,
      state: g.state as GuestState,
      snapshots: g.snapshots.map(toSnapshotView),
    })),
  };
}
