import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Image } from "../../generated/prisma/client";
import { imageViewInclude, type ImageRow } from "../../lib/shared/row-views";
import { imageDeletableBy, type Actor } from "../../lib/shared/permissions";
import { conflict, forbidden, notFound } from "../errors";
import type { Db } from "../db";
import { logger } from "../log";
import { buildDefaultImage, DEFAULT_IMAGE_NAME } from "./default-image";

const log = logger("images");

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function imagesDir(dataDir: string): string {
  return path.join(dataDir, "images");
}

/** Builds and registers the built-in image on first start (or if its file went missing). */
export async function ensureDefaultImage(db: Db, dataDir: string): Promise<void> {
  const file = path.join(imagesDir(dataDir), `${DEFAULT_IMAGE_NAME}.img`);
  const existing = await db.image.findUnique({ where: { name: DEFAULT_IMAGE_NAME } });
  if (existing && fs.existsSync(existing.path)) return;
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
  await db.image.upsert({
    where: { name: DEFAULT_IMAGE_NAME },
    create: { name: DEFAULT_IMAGE_NAME, ...data },
    update: data,
  });
}

/**
 * Registers a finished, read-only image file with its size, mtime and checksum (`sha256`
 * when the caller hashed the bytes as it wrote them; otherwise the file is read), and the
 * developer it belongs to, if any.
 */
export async function registerImage(
  db: Db,
  {
    name,
    path: file,
    sha256,
    ownerId = null,
  }: { name: string; path: string; sha256?: string; ownerId?: string | null },
): Promise<ImageRow> {
  const st = await fs.promises.stat(file);
  return db.image.create({
    data: {
      name,
      path: file,
      sizeBytes: BigInt(st.size),
      sha256: sha256 ?? (await sha256File(file)),
      mtime: st.mtime,
      ownerId,
    },
    include: imageViewInclude,
  });
}

/**
 * Refuses an image whose file changed since it was registered. Cheap when nothing did
 * (size and mtime as recorded); a full checksum when either differs — a guest must never
 * boot on top of an image its disk layer was not made for.
 */
export async function verifyImage(db: Db, image: Image): Promise<void> {
  const st = await fs.promises.stat(image.path).catch(() => null);
  if (!st) {
    throw conflict(`The image "${image.name}" is missing from ${image.path}; restore it or choose another image.`);
  }
  // Compared as stored, to the millisecond: mtimeMs has a fraction the database drops, and
  // comparing it made every start read and hash the whole image.
  if (image.mtime && st.mtime.getTime() === image.mtime.getTime() && BigInt(st.size) === image.sizeBytes) return;
  const sha256 = await sha256File(image.path);
  if (sha256 !== image.sha256) {
    throw conflict(
      `The image "${image.name}" has changed on disk since it was registered (its checksum no longer matches), ` +
        `so guests on it will not start. Restore the original file.`,
    );
  }
  await db.image.update({ where: { id: image.id }, data: { mtime: st.mtime, sizeBytes: BigInt(st.size) } });
}

/** Deletes an unused image and its file: admins any, developers only the ones they committed. */
export async function deleteImage(db: Db, id: string, actor: Actor): Promise<void> {
  const image = await db.image.findUnique({ where: { id }, include: { _count: { select: { guests: true } } } });
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
    if ((err as { code?: string }).code === "P2003") throw inUse(await db.guest.count({ where: { imageId: id } }));
    throw err;
  }
  await fs.promises.rm(image.path, { force: true });
  log.info("image deleted", { image: image.name, by: actor.id });
}
