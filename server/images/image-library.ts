import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Image, ImageCopy } from "../../generated/prisma/client";
import { imageViewInclude, type ImageRow } from "../../lib/shared/row-views";
import { imageDeletableBy, type Actor } from "../../lib/shared/permissions";
import { conflict, forbidden, notFound } from "../errors";
import type { Db } from "../db";
import { logger } from "../log";
import type { ThisHost } from "../hosts/guest-host";
import { buildDefaultImage, DEFAULT_IMAGE_NAME } from "./default-image";
import { COPY_READY, findHostCopy, recordCopy } from "./image-copies";
import { isPrismaError, FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION } from "../../lib/server/prisma-errors";

const log = logger("images");

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function imagesDir(dataDir: string): string {
  return path.join(dataDir, "images");
}

/**
 * The built-in image on this host. The first host (no row yet) builds and registers it; a
 * host joining a fleet whose row exists fetches the very file another host has (its bytes
 * differ from build to build: mke2fs's UUID and times, each host's busybox), so the fleet's
 * row is never rewritten while any host holds a copy: every guest's disk layer was made
 * over those bytes. "fetch": this host must get it from a host that has it (image-copier.ts).
 */
export async function ensureDefaultImage(
  db: Db,
  dataDir: string,
  here: ThisHost,
): Promise<"present" | "built" | "fetch"> {
  const existing = await db.image.findUnique({ where: { name: DEFAULT_IMAGE_NAME } });
  if (existing) {
    const mine = await findHostCopy(db, existing.id, here.name);
    if (mine && fs.existsSync(mine.path)) return "present";
    const held = await db.imageCopy.count({
      where: { imageId: existing.id, state: COPY_READY, hostId: { not: here.id } },
    });
    if (held > 0) return "fetch";
  }
  const file = path.join(imagesDir(dataDir), `${DEFAULT_IMAGE_NAME}.img`);
  if (!fs.existsSync(file)) {
    log.info("building the built-in busybox image", { file });
    const t0 = Date.now();
    await buildDefaultImage(file, (step) => log.info(`default image: ${step}`));
    log.info("built-in image ready", { ms: Date.now() - t0 });
  }
  const st = fs.statSync(file);
  const data = {
    path: file,
    sizeBytes: BigInt(st.size),
    sha256: await sha256File(file),
    mtime: st.mtime,
    builtIn: true,
  };
  try {
    const row = existing
      ? await db.image.update({ where: { id: existing.id }, data })
      : await db.image.create({ data: { name: DEFAULT_IMAGE_NAME, ...data } });
    await recordCopy(db, row.id, here.name, file);
  } catch (err) {
    // Another host of the fleet registered its own build first: theirs is the fleet's.
    if (!isPrismaError(err, UNIQUE_VIOLATION)) throw err;
    const theirs = await db.image.findUniqueOrThrow({ where: { name: DEFAULT_IMAGE_NAME } });
    if (theirs.sha256 !== data.sha256) {
      await fs.promises.rm(file, { force: true });
      return "fetch";
    }
    await recordCopy(db, theirs.id, here.name, file);
  }
  return "built";
}

/**
 * Registers a finished, read-only image file with its size, mtime and checksum (`sha256`
 * when the caller hashed the bytes as it wrote them; otherwise the file is read), and the
 * developer it belongs to, if any; the file is host `hostName`'s copy.
 */
export async function registerImage(
  db: Db,
  {
    name,
    path: file,
    sha256,
    ownerId = null,
    hostName,
  }: { name: string; path: string; sha256?: string; ownerId?: string | null; hostName: string },
): Promise<ImageRow> {
  const st = await fs.promises.stat(file);
  const image = await db.image.create({
    data: {
      name,
      path: file,
      sizeBytes: BigInt(st.size),
      sha256: sha256 ?? (await sha256File(file)),
      mtime: st.mtime,
      ownerId,
    },
  });
  await recordCopy(db, image.id, hostName, file);
  return db.image.findUniqueOrThrow({ where: { id: image.id }, include: imageViewInclude });
}

/**
 * Refuses an image whose file on this host (`copy`) changed since it was recorded. Cheap when
 * nothing did (size and mtime as recorded); a full checksum when either differs — a guest
 * must never boot on top of an image its disk layer was not made for.
 */
export async function verifyImage(
  db: Db,
  image: Pick<Image, "name" | "sha256">,
  copy: Pick<ImageCopy, "id" | "path" | "sizeBytes" | "mtime"> | null,
): Promise<void> {
  const st = copy && (await fs.promises.stat(copy.path).catch(() => null));
  if (!copy || !st) {
    throw conflict(
      `The image "${image.name}" is ${copy ? `missing from ${copy.path}` : "not on this host"}; ` +
        `copy it here from a host that has it (Images page, "Copy to host…"), or choose another image.`,
    );
  }
  // Compared as stored, to the millisecond: mtimeMs has a fraction the database drops, and
  // comparing it made every start read and hash the whole image.
  if (copy.mtime && st.mtime.getTime() === copy.mtime.getTime() && BigInt(st.size) === copy.sizeBytes) return;
  const sha256 = await sha256File(copy.path);
  if (sha256 !== image.sha256) {
    throw conflict(
      `The image "${image.name}" has changed on disk since it was registered (its checksum no longer matches), ` +
        `so guests on it will not start. Restore the original file.`,
    );
  }
  await db.imageCopy.update({
    where: { id: copy.id },
    data: { mtime: st.mtime, sizeBytes: BigInt(st.size), verifiedAt: new Date() },
  });
}

/**
 * Deletes an unused image and its file: admins any, developers only the ones they committed.
 * `elsewhere` removes the other hosts' files (image-file-removal.ts) once the image is gone,
 * and names the hosts it could not reach.
 */
export async function deleteImage(
  db: Db,
  id: string,
  actor: Actor,
  here: ThisHost,
  elsewhere: (copies: Array<{ hostId: string; path: string }>) => Promise<string[]> = async () => [],
): Promise<void> {
  const image = await db.image.findUnique({
    where: { id },
    include: { _count: { select: { guests: true } }, copies: true },
  });
  if (!image) throw notFound("No such image.");
  if (!imageDeletableBy(actor, image)) {
    throw forbidden("You may delete only the images you committed from your guests; ask an admin about this one.");
  }
  if (image.builtIn) throw conflict("The built-in image cannot be deleted.");
  const inUse = (n: number) =>
    conflict(`The image "${image.name}" is used by ${n} guest(s) and their snapshots; delete them first.`);
  if (image._count.guests > 0) throw inUse(image._count.guests);
  try {
    await db.image.delete({ where: { id } });
  } catch (err) {
    // A guest was created on it since the count above: the database refuses the delete.
    if (isPrismaError(err, FOREIGN_KEY_VIOLATION)) throw inUse(await db.guest.count({ where: { imageId: id } }));
    throw err;
  }
  const mine = image.copies.find((c) => c.hostId === here.id);
  if (mine) await fs.promises.rm(mine.path, { force: true });
  const left = await elsewhere(image.copies.filter((c) => c.hostId !== here.id));
  log.info("image deleted", { image: image.name, by: actor.id, filesLeftOn: left });
}
