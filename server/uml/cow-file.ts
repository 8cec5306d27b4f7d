import fs from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { copySparse } from "../storage/disk-files";

// UML's copy-on-write file, version 3 (arch/um/drivers/cow_user.c), big-endian:
//   u32 magic "OOOM", u32 version, u32 backing mtime, u64 backing size, u32 sector size,
//   u32 alignment, u32 format, char backing_file[4096]
// then a bitmap (bit n set, least significant bit first = sector n lives in the COW) at
// the header rounded up to the alignment, then the sectors at the bitmap's end rounded up.
const MAGIC = 0x4f4f4f4d;
const HEADER_V3 = 32 + 4096;

export interface CowHeader {
  version: number;
  backingMtime: number;
  backingSize: number;
  sectorSize: number;
  alignment: number;
  backingFile: string;
  bitmapOffset: number;
  bitmapLength: number;
  dataOffset: number;
}

export class CowError extends Error {}

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

export function parseCowHeader(buf: Buffer): CowHeader {
  if (buf.length < HEADER_V3) throw new CowError("the file is too short to be a COW file");
  if (buf.readUInt32BE(0) !== MAGIC) throw new CowError("it does not start with UML's COW signature");
  const version = buf.readUInt32BE(4);
  if (version !== 3) throw new CowError(`COW format version ${version} is not supported (expected 3)`);
  const backingSize = Number(buf.readBigUInt64BE(12));
  const sectorSize = buf.readUInt32BE(20);
  const alignment = buf.readUInt32BE(24);
  if (![512, 1024, 2048, 4096].includes(sectorSize)) throw new CowError(`implausible sector size ${sectorSize}`);
  if (alignment < 512 || alignment & (alignment - 1)) throw new CowError(`implausible alignment ${alignment}`);
  const raw = buf.subarray(32, HEADER_V3);
  const nul = raw.indexOf(0);
  const bitmapOffset = roundUp(HEADER_V3, alignment);
  const bitmapLength = Math.ceil(backingSize / sectorSize / 8);
  return {
    version,
    backingMtime: buf.readUInt32BE(8),
    backingSize,
    sectorSize,
    alignment,
    backingFile: raw.subarray(0, nul < 0 ? raw.length : nul).toString("utf8"),
    bitmapOffset,
    bitmapLength,
    dataOffset: roundUp(bitmapOffset + bitmapLength, alignment),
  };
}

export async function readCowHeader(file: string): Promise<CowHeader> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw new CowError("it is not a regular file");
    const buf = Buffer.alloc(HEADER_V3);
    const { bytesRead } = await handle.read(buf, 0, HEADER_V3, 0);
    return parseCowHeader(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Whether a COW file is one UML began and never finished: it creates the file, writes the
 * header, then extends the file past its data offset, and only then writes sectors. A kernel
 * killed in between (a force off in the first milliseconds of a first boot) leaves a file
 * shorter than its data offset (or than the header), which holds no sector: nothing of the
 * guest is lost by making it again. A foreign or damaged file is not this.
 */
export async function isUnfinishedCow(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return false;
    const buf = Buffer.alloc(HEADER_V3);
    const { bytesRead } = await handle.read(buf, 0, HEADER_V3, 0);
    if (bytesRead < HEADER_V3) return bytesRead === 0 || (bytesRead >= 4 && buf.readUInt32BE(0) === MAGIC);
    return stat.size < parseCowHeader(buf).dataOffset;
  } catch (err) {
    if (err instanceof CowError) return false;
    throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Checks that a guest's COW file belongs on top of this image, so UML is never started on
 * a damaged or mismatched one (it would refuse with a terse message, or worse, not refuse).
 */
export async function checkCowFile(cowFile: string, imagePath: string): Promise<void> {
  const header = await readCowHeader(cowFile);
  const image = await fs.promises.stat(imagePath);
  if (header.backingFile !== imagePath) throw new CowError(`it belongs to ${header.backingFile}, not ${imagePath}`);
  if (header.backingSize !== image.size)
    throw new CowError(`it expects an image of ${header.backingSize} bytes; the image has ${image.size}`);
  if (header.backingMtime !== Math.floor(image.mtimeMs / 1000))
    throw new CowError("the image was modified after this disk was created");
  const expected = header.dataOffset + header.backingSize;
  const actual = (await fs.promises.stat(cowFile)).size;
  if (actual < header.dataOffset)
    throw new CowError(`it is truncated (${actual} bytes; its data starts at ${header.dataOffset})`);
  if (actual > expected) throw new CowError(`it is longer than its image allows (${actual} > ${expected} bytes)`);
}

/**
 * Points a COW file at `imagePath` — this host's copy of the same image — when its header names
 * another file or mtime: a guest moved from another host (hosts/guest-migration.ts), or an
 * image copied here again. The caller must have verified that `imagePath` holds the very
 * image the COW was made on (images/image-library.ts verifyImage: its SHA-256), because the
 * header's path and mtime are all UML checks. A COW for an image of another size is refused.
 * Returns whether it rewrote the header.
 */
export async function rebaseCowFile(cowFile: string, imagePath: string): Promise<boolean> {
  const header = await readCowHeader(cowFile);
  const image = await fs.promises.stat(imagePath);
  const mtime = Math.floor(image.mtimeMs / 1000);
  if (header.backingFile === imagePath && header.backingMtime === mtime) return false;
  if (header.backingSize !== image.size)
    throw new CowError(`it expects an image of ${header.backingSize} bytes; the image has ${image.size}`);
  const name = Buffer.from(imagePath, "utf8");
  if (name.length >= HEADER_V3 - 32) throw new CowError(`the image's path is too long for a COW header: ${imagePath}`);
  const fields = Buffer.alloc(4);
  fields.writeUInt32BE(mtime, 0);
  const backing = Buffer.alloc(HEADER_V3 - 32);
  name.copy(backing);
  const cow = await fs.promises.open(cowFile, "r+");
  try {
    await cow.write(fields, 0, 4, 8);
    await cow.write(backing, 0, backing.length, 32);
    await cow.sync();
  } finally {
    await cow.close();
  }
  return true;
}

async function readBitmap(cow: FileHandle, header: CowHeader): Promise<Buffer> {
  const bitmap = Buffer.alloc(header.bitmapLength);
  await cow.read(bitmap, 0, bitmap.length, header.bitmapOffset);
  return bitmap;
}

/** Bytes of the image this COW file has changed (its changed sectors), from its bitmap. */
export async function cowChangedBytes(cowFile: string): Promise<number> {
  const header = await readCowHeader(cowFile);
  const cow = await fs.promises.open(cowFile, "r");
  try {
    const bitmap = await readBitmap(cow, header);
    let sectors = 0;
    for (const byte of bitmap) sectors += BITS_SET[byte];
    return Math.min(header.backingSize, sectors * header.sectorSize);
  } finally {
    await cow.close();
  }
}

const BITS_SET = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let v = b; v; v >>= 1) n += v & 1;
  return n;
});

/**
 * Writes `dest` = the image with the COW's sectors applied — what `uml_moo` does — leaving
 * both inputs untouched: a sparse copy of the image, then runs of changed sectors written
 * over it. All of it asynchronous: an image can be gigabytes.
 */
export async function mergeCow(cowFile: string, imagePath: string, dest: string): Promise<void> {
  const header = await readCowHeader(cowFile);
  await copySparse(imagePath, dest);
  const cow = await fs.promises.open(cowFile, "r");
  try {
    const out = await fs.promises.open(dest, "r+");
    try {
      const bitmap = await readBitmap(cow, header);
      const sectors = Math.ceil(header.backingSize / header.sectorSize);
      const changed = (n: number) => bitmap[n >> 3] & (1 << (n & 7));
      const chunk = Buffer.alloc(header.sectorSize * 256);
      let s = 0;
      while (s < sectors) {
        if (!(s & 7) && bitmap[s >> 3] === 0) {
          s += 8; // eight unchanged sectors at once: a large image is mostly these
          continue;
        }
        if (!changed(s)) {
          s++;
          continue;
        }
        let e = s;
        while (e < sectors && e - s < 256 && changed(e)) e++;
        const len = Math.min((e - s) * header.sectorSize, header.backingSize - s * header.sectorSize);
        await cow.read(chunk, 0, len, header.dataOffset + s * header.sectorSize);
        await out.write(chunk, 0, len, s * header.sectorSize);
        s = e;
      }
      await out.sync();
    } finally {
      await out.close();
    }
  } finally {
    await cow.close();
  }
}
