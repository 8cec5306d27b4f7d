import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ImageView } from "../../lib/protocol";
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
  const data = {
    path: file,
    sizeBytes: BigInt(fs.statSync(file).size),
    sha256: await sha256File(file),
    builtIn: true,
  };
  await db.image.upsert({
    where: { name: DEFAULT_IMAGE_NAME },
    create: { name: DEFAULT_IMAGE_NAME, ...data },
    update: data,
  });
}

export async function listImages(db: Db): Promise<ImageView[]> {
  const images = await db.image.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { guests: true } } },
  });
  return images.map((i) => ({
    id: i.id,
    name: i.name,
    sizeBytes: Number(i.sizeBytes),
    sha256: i.sha256,
    builtIn: i.builtIn,
    createdAt: i.createdAt.toISOString(),
    guestCount: i._count.guests,
  }));
}
