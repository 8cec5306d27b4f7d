// Where each image's file is on each host (ImageCopy rows). An image is present on a host when
// that host has a "ready" copy; its path is that host's own (hosts have their own data
// directories). Only a host's own daemon writes its copies' rows, and only files in its own
// images directory become copies.
import fs from "node:fs";
import path from "node:path";
import type { Image, ImageCopy } from "../../generated/prisma/client";
import type { Db } from "../db";
import { conflict } from "../errors";
import type { ThisHost } from "../hosts/guest-host";
import { logger } from "../log";

const log = logger("images");

export const COPY_READY = "ready";
export const COPY_COPYING = "copying";

/** This host's ready copy of `image` from its `copies`, or null. */
export function copyOn<C extends Pick<ImageCopy, "hostId" | "state">>(copies: C[], hostId: string | null): C | null {
  return copies.find((c) => c.hostId === hostId && c.state === COPY_READY) ?? null;
}

const notOnHost = (name: string) =>
  conflict(
    `The image "${name}" is not on this guest's host. Copy it there (Images page, "Copy to host…", or ` +
      `corral images copy ${name} HOST), then try again.`,
  );

/** The path of `image`'s file on host `hostId` (a guest's own host); refused when that host has no copy. */
export function hostImagePath(image: Pick<Image, "name"> & { copies: ImageCopy[] }, hostId: string | null): string {
  const copy = copyOn(image.copies, hostId);
  if (!copy) throw notOnHost(image.name);
  return copy.path;
}

/** The path of `image`'s file on host `hostName` (this daemon's); refused when that host has no copy. */
export async function localImagePath(db: Db, image: Pick<Image, "id" | "name">, hostName: string): Promise<string> {
  const copy = await findHostCopy(db, image.id, hostName);
  if (!copy) throw notOnHost(image.name);
  return copy.path;
}

/** This host's ready copy of image `imageId`, or null. */
export function findHostCopy(db: Db, imageId: string, hostName: string): Promise<ImageCopy | null> {
  return db.imageCopy.findFirst({ where: { imageId, host: { name: hostName }, state: COPY_READY } });
}

/** Records `file` (whole, with the image's sha256) as host `hostName`'s copy of image `imageId`. */
export async function recordCopy(db: Db, imageId: string, hostName: string, file: string): Promise<ImageCopy> {
  const st = await fs.promises.stat(file);
  const data = {
    path: file,
    sizeBytes: BigInt(st.size),
    mtime: st.mtime,
    state: COPY_READY,
    copiedBytes: BigInt(st.size),
    verifiedAt: new Date(),
  };
  const host = await db.host.findUniqueOrThrow({ where: { name: hostName }, select: { id: true } });
  return db.imageCopy.upsert({
    where: { imageId_hostId: { imageId, hostId: host.id } },
    create: { imageId, hostId: host.id, ...data },
    update: data,
  });
}

/** The ids of the images this host has no ready copy of. */
export async function missingImageIds(db: Db, hostId: string): Promise<string[]> {
  const rows = await db.image.findMany({
    where: { copies: { none: { hostId, state: COPY_READY } } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Forgets this host's copies whose file is gone (deleted by hand, a wiped data directory), so
 * the fleet stops placing guests here on their strength. A copy whose file changed stays:
 * starting a guest on it says so (verifyImage).
 */
export async function forgetVanishedCopies(db: Db, here: ThisHost): Promise<string[]> {
  const copies = await db.imageCopy.findMany({ where: { hostId: here.id, state: COPY_READY } });
  const gone: string[] = [];
  for (const c of copies) {
    if (
      await fs.promises.stat(c.path).then(
        () => false,
        () => true,
      )
    )
      gone.push(c.id);
  }
  if (gone.length) {
    await db.imageCopy.deleteMany({ where: { id: { in: gone } } });
    log.warn("image files gone from this host: their copies are forgotten", { host: here.name, copies: gone.length });
  }
  return gone;
}

/**
 * Makes an image's file already in this host's images directory its copy here, when it has
 * the image's size and mtime as registered (a single host from before copies existed: its
 * `path`), or its sha256 (`hash` reads the file; only when the size matches).
 */
export async function adoptLocalImages(
  db: Db,
  here: ThisHost,
  dir: string,
  hash: (file: string) => Promise<string>,
): Promise<number> {
  const images = await db.image.findMany({ where: { copies: { none: { hostId: here.id } } } });
  let adopted = 0;
  for (const image of images) {
    const candidates = [...new Set([image.path, path.join(dir, `${image.name}.img`)])].filter(
      (f) => path.dirname(f) === dir,
    );
    for (const file of candidates) {
      const st = await fs.promises.stat(file).catch(() => null);
      if (!st?.isFile() || BigInt(st.size) !== image.sizeBytes) continue;
      const same = image.mtime?.getTime() === st.mtime.getTime() || (await hash(file)) === image.sha256;
      if (!same) continue;
      await recordCopy(db, image.id, here.name, file);
      adopted++;
      break;
    }
  }
  if (adopted) log.info("image files on this host recorded as its copies", { host: here.name, images: adopted });
  return adopted;
}

/** A free file name for image `name` in `dir`: `<name>.img`, else one naming its checksum. */
export function copyFileName(dir: string, name: string, sha256: string): string {
  const plain = path.join(dir, `${name}.img`);
  return fs.existsSync(plain) ? path.join(dir, `${name}-${sha256.slice(0, 12)}.img`) : plain;
}

/** Whether host `hostName` has a ready copy of image `imageId` whose file is there. */
export async function hostHasImage(db: Db, imageId: string, hostName: string): Promise<boolean> {
  const copy = await findHostCopy(db, imageId, hostName);
  return (
    !!copy &&
    (await fs.promises.stat(copy.path).then(
      () => true,
      () => false,
    ))
  );
}
