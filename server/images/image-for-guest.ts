// A new guest's image on the host that is to run it: there already, or copied there from a
// host that has it (image-copier.ts) while the guest waits, stopped, to be started.
import type { Image } from "../../generated/prisma/client";
import type { Db } from "../db";
import { conflict, CorralError } from "../errors";
import type { ThisHost } from "../hosts/guest-host";
import { imageHoldersNote, readPlacementHosts } from "../hosts/placement";
import { COPY_COPYING } from "./image-copies";
import type { ImageCopier } from "./image-copier";

/**
 * Whether `image` must still arrive on this host: false when its file is here; true when a
 * copy is on its way (one started now, or already running). Refused, with who has it and how
 * to copy it, when it can be neither: no host that has it can be reached, or no fleet secret.
 */
export async function imageForGuest(
  db: Db,
  here: ThisHost,
  copier: Pick<ImageCopier, "start"> | null,
  image: Pick<Image, "id" | "name">,
): Promise<boolean> {
  const copy = await db.imageCopy.findFirst({ where: { imageId: image.id, hostId: here.id } });
  if (copy) return copy.state === COPY_COPYING;
  const others = (await readPlacementHosts(db)).filter((h) => h.id !== here.id);
  let why = "";
  if (copier && others.length) {
    try {
      const { done } = await copier.start(image.id);
      // The guests waiting for it say so until it has come, or say why it did not.
      void done
        .then((end) =>
          db.guest.updateMany({
            where: { imageId: image.id, hostId: here.id, stateReason: waitingForImage(image.name, here.name) },
            data: {
              stateReason:
                end.state === "ready"
                  ? null
                  : `Its image "${image.name}" could not be copied to host ${here.name}: ${end.error}. ` +
                    `Copy it there (Images page, "Copy to host…"), then start the guest.`,
            },
          }),
        )
        .catch(() => {});
      return true;
    } catch (err) {
      if (!(err instanceof CorralError)) throw err;
      why = `${err.message} `;
    }
  }
  if (!others.length)
    throw conflict(
      `The image "${image.name}" has no file on this host any more. Import it again, or choose another image.`,
    );
  throw conflict(
    `The image "${image.name}" is not on host ${here.name}. ${why}${imageHoldersNote(others, image.id)} ` +
      `An admin can copy it there (Images page, "Copy to host…", or corral images copy ${image.name} ${here.name}); ` +
      `or create the guest on a host that has it.`,
  );
}

/** What a guest waiting for its image says under its state. */
export const waitingForImage = (image: string, host: string) =>
  `Its image "${image}" is being copied to host ${host} (the Images page shows how far); start it once the copy is done.`;
