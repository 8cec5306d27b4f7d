// The image library as people see it — one read for the web's pages and the daemon's API.
// A developer counts only their own guests on an image: other people's are not theirs to know.
import { imageDeletableBy, type Actor } from "../../shared/permissions";
import type { ImageDetailView, ImageView } from "../../shared/protocol";
import { parseGuestState } from "../../shared/stored";
import { imageViewInclude, toImageView, toSnapshotView } from "../../shared/row-views";
import type { Db } from "../database";
import { visibleGuestsWhere } from "./guests";

/** What a library row shows: the image, and whether any guest at all uses it (deletable or not), not whose. */
export type ImageListing = ImageView & { inUse: boolean };

export async function listImages(db: Db, actor: Actor): Promise<ImageListing[]> {
  const [rows, used] = await Promise.all([
    db.image.findMany({
      orderBy: { name: "asc" },
      include: { ...imageViewInclude, _count: { select: { guests: { where: visibleGuestsWhere(actor) } } } },
    }),
    db.guest.groupBy({ by: ["imageId"] }),
  ]);
  const inUse = new Set(used.map((g) => g.imageId));
  return rows.map((i) => ({ ...toImageView(i, i._count.guests), inUse: inUse.has(i.id) }));
}

/** What a create form offers: every image, by name. */
export function imageChoices(db: Db): Promise<Array<{ id: string; name: string; builtIn: boolean }>> {
  return db.image.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, builtIn: true } });
}

/**
 * An image with the guests on it that `actor` may see, and their snapshots (each a layer
 * over this image); null if there is no such image. `inUse` says whether any guest at all
 * uses it — what decides whether it may be deleted — without saying whose.
 */
export async function findImageDetail(
  db: Db,
  actor: Actor,
  rawId: string,
): Promise<
  (ImageDetailView & { files: Array<{ hostName: string; path: string }>; inUse: boolean; deletable: boolean }) | null
> {
  if (!/^[a-z0-9]{1,40}$/.test(rawId)) return null;
  const img = await db.image.findUnique({
    where: { id: rawId },
    include: {
      ...imageViewInclude,
      _count: { select: { guests: true } },
      copies: { ...imageViewInclude.copies, select: { ...imageViewInclude.copies.select, path: true } },
      guests: {
        where: visibleGuestsWhere(actor),
        orderBy: { name: "asc" },
        select: { id: true, name: true, state: true, snapshots: { orderBy: { createdAt: "desc" } } },
      },
    },
  });
  if (!img) return null;
  return {
    ...toImageView(img, img.guests.length),
    // Each host's own file (its data directory): where an admin finds it there.
    files: img.copies.filter((c) => c.state === "ready").map((c) => ({ hostName: c.host.name, path: c.path })),
    inUse: img._count.guests > 0,
    deletable: !img.builtIn && imageDeletableBy(actor, img),
    guests: img.guests.map((g) => ({
      id: g.id,
      name: g.name,
      state: parseGuestState(g.state),
      snapshots: g.snapshots.map(toSnapshotView),
    })),
  };
}
