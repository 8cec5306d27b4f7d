import { randomBytes } from "node:crypto";
import fs from "node:fs";

/**
 * A tiny ext2 filesystem (1 KiB blocks, one block group) holding a few files in its root,
 * built in memory: what `mke2fs -t ext2 -d dir` makes for a seed disk, without forking a
 * process from the daemon (a fork of the daemon blocked its event loop for tens of ms per
 * first boot in a storm). Revision 1, feature `filetype` only, a `lost+found` like mke2fs's,
 * so `e2fsck -fn` finds nothing to fix. Files use direct blocks only: returns null when one
 * does not fit in 12 KiB or the image in `blocks` (the caller then falls back to mke2fs).
 *
 * Everything written lies in the first blocks: `data` holds those, and the rest of the image,
 * up to `bytes`, is zeros for the caller to leave sparse (writeExt2Image) — allocating and
 * writing the whole MiB cost the daemon milliseconds of CPU per first boot in a storm.
 */
export function buildExt2Image(
  files: Record<string, { text: string; mode: number }>,
  label: string,
  blocks = 1024,
): Ext2Image | null {
  const BS = 1024;
  const INODES = 32;
  const INODE_SIZE = 128;
  const ITABLE = 5; // 1 superblock, 2 group descriptors, 3 block bitmap, 4 inode bitmap
  const ITABLE_BLOCKS = (INODES * INODE_SIZE) / BS;
  const ROOT_DIR = ITABLE + ITABLE_BLOCKS;
  const LOST_FOUND = ROOT_DIR + 1;
  const now = Math.floor(Date.now() / 1000);
  const entries = Object.entries(files).map(([name, f]) => ({ name, mode: f.mode, data: Buffer.from(f.text) }));
  if (entries.some((e) => e.data.length > 12 * BS || Buffer.byteLength(e.name) > 255 || e.name.includes("/")))
    return null;
  // The metadata, the two directories and the files' blocks, in this order from block 0.
  const written = LOST_FOUND + 1 + entries.reduce((n, e) => n + Math.ceil(e.data.length / BS), 0);
  if (written > blocks) return null;
  const img = Buffer.alloc(written * BS);

  let next = LOST_FOUND + 1;
  const used: number[] = [];
  for (let b = 1; b <= LOST_FOUND; b++) used.push(b);
  const inode = (ino: number, mode: number, size: number, links: number, first: number, count: number) => {
    const o = ITABLE * BS + (ino - 1) * INODE_SIZE;
    img.writeUInt16LE(mode, o);
    img.writeUInt32LE(size, o + 4);
    for (const t of [8, 12, 16]) img.writeUInt32LE(now, o + t); // atime, ctime, mtime
    img.writeUInt16LE(links, o + 26);
    img.writeUInt32LE(count * (BS / 512), o + 28);
    for (let i = 0; i < count; i++) img.writeUInt32LE(first + i, o + 40 + 4 * i);
  };
  // Directory entries: inode, rec_len, name_len, file type; the last one reaches the block's end.
  const dir = (block: number, list: { ino: number; name: string; type: number }[]): boolean => {
    let o = block * BS;
    for (let i = 0; i < list.length; i++) {
      const name = Buffer.from(list[i].name);
      const len = i === list.length - 1 ? (block + 1) * BS - o : (8 + name.length + 3) & ~3;
      if (len < 8 + name.length) return false;
      img.writeUInt32LE(list[i].ino, o);
      img.writeUInt16LE(len, o + 4);
      img[o + 6] = name.length;
      img[o + 7] = list[i].type;
      name.copy(img, o + 8);
      o += len;
    }
    return true;
  };

  const FIRST_FILE_INO = 12;
  if (entries.length > INODES - FIRST_FILE_INO + 1) return null;
  const rootList = [
    { ino: 2, name: ".", type: 2 },
    { ino: 2, name: "..", type: 2 },
    { ino: 11, name: "lost+found", type: 2 },
  ];
  for (const [i, e] of entries.entries()) {
    const count = Math.ceil(e.data.length / BS);
    if (next + count > blocks) return null;
    e.data.copy(img, next * BS);
    inode(FIRST_FILE_INO + i, 0o100000 | (e.mode & 0o7777), e.data.length, 1, next, count);
    for (let b = next; b < next + count; b++) used.push(b);
    next += count;
    rootList.push({ ino: FIRST_FILE_INO + i, name: e.name, type: 1 });
  }
  if (!dir(ROOT_DIR, rootList)) return null;
  dir(LOST_FOUND, [
    { ino: 11, name: ".", type: 2 },
    { ino: 2, name: "..", type: 2 },
  ]);
  inode(2, 0o040755, BS, 3, ROOT_DIR, 1);
  inode(11, 0o040700, BS, 2, LOST_FOUND, 1);

  // Bitmaps: bit i is block i+1 (block 0 precedes the filesystem) and inode i+1; the bits past
  // the group's end are set, as e2fsck expects.
  const groupBlocks = blocks - 1;
  for (let bit = 0; bit < BS * 8; bit++) {
    const inUse = bit >= groupBlocks || used.includes(bit + 1);
    if (inUse) img[3 * BS + (bit >> 3)] |= 1 << (bit & 7);
    const inodeUsed = bit >= INODES || bit < FIRST_FILE_INO - 1 + entries.length;
    if (inodeUsed) img[4 * BS + (bit >> 3)] |= 1 << (bit & 7);
  }
  const freeBlocks = groupBlocks - used.length;
  const freeInodes = INODES - (FIRST_FILE_INO - 1) - entries.length;

  const gd = 2 * BS;
  img.writeUInt32LE(3, gd);
  img.writeUInt32LE(4, gd + 4);
  img.writeUInt32LE(ITABLE, gd + 8);
  img.writeUInt16LE(freeBlocks, gd + 12);
  img.writeUInt16LE(freeInodes, gd + 14);
  img.writeUInt16LE(2, gd + 16); // directories: root, lost+found

  const sb = BS;
  const u32 = (off: number, v: number) => img.writeUInt32LE(v, sb + off);
  const u16 = (off: number, v: number) => img.writeUInt16LE(v, sb + off);
  u32(0, INODES);
  u32(4, blocks);
  u32(12, freeBlocks);
  u32(16, freeInodes);
  u32(20, 1); // first data block
  u32(32, 8192); // blocks per group
  u32(36, 8192); // fragments per group
  u32(40, INODES); // inodes per group
  u32(48, now); // write time
  u16(54, 0xffff); // max mount count: never forces a check
  u16(56, 0xef53);
  u16(58, 1); // state: clean
  u16(60, 1); // errors: continue
  u32(64, now); // last check
  u32(76, 1); // revision 1 (dynamic)
  u32(84, 11); // first non-reserved inode
  u16(88, INODE_SIZE);
  u32(96, 0x2); // incompatible features: filetype
  randomBytes(16).copy(img, sb + 104);
  Buffer.from(label)
    .subarray(0, 16)
    .copy(img, sb + 120);
  return { data: img, bytes: blocks * BS };
}

/** An ext2 image: its first bytes, then zeros up to `bytes`. */
export interface Ext2Image {
  data: Buffer;
  bytes: number;
}

/** Writes `image` to a new file `file` (mode 0400), its zeros left as a hole. */
export async function writeExt2Image(file: string, image: Ext2Image): Promise<void> {
  const fh = await fs.promises.open(file, "wx", 0o400);
  try {
    await fh.write(image.data, 0, image.data.length, 0);
    await fh.truncate(image.bytes);
  } finally {
    await fh.close();
  }
}
