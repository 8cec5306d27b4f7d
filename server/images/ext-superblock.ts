import type { FileHandle } from "node:fs/promises";

// The ext2/3/4 superblock starts 1024 bytes into the device; offsets below are within it.
const SUPERBLOCK_AT = 1024;
const SUPERBLOCK_BYTES = 1024;
const EXT_MAGIC = 0xef53;
const COMPAT_HAS_JOURNAL = 0x4;
const INCOMPAT_EXTENTS = 0x40;
const INCOMPAT_64BIT = 0x80;
const INCOMPAT_FLEX_BG = 0x200;

export interface ExtSuperblock {
  kind: "ext2" | "ext3" | "ext4";
  blockSize: number;
  blockCount: number;
  /** The size the filesystem says it has: blocks × block size. */
  bytes: number;
  label: string;
}

/** Reads an ext2/3/4 superblock from the first 2 KiB of a file; null when there is none. */
export function parseExtSuperblock(head: Buffer): ExtSuperblock | null {
  if (head.length < SUPERBLOCK_AT + SUPERBLOCK_BYTES) return null;
  const sb = head.subarray(SUPERBLOCK_AT, SUPERBLOCK_AT + SUPERBLOCK_BYTES);
  if (sb.readUInt16LE(0x38) !== EXT_MAGIC) return null;
  const logBlockSize = sb.readUInt32LE(0x18);
  if (logBlockSize > 6) return null; // block sizes run from 1 KiB to 64 KiB
  const blockSize = 1024 << logBlockSize;
  const compat = sb.readUInt32LE(0x5c);
  const incompat = sb.readUInt32LE(0x60);
  const high = incompat & INCOMPAT_64BIT ? sb.readUInt32LE(0x150) : 0;
  const blockCount = high * 2 ** 32 + sb.readUInt32LE(0x04);
  const label = sb.subarray(0x78, 0x88).toString("latin1").replace(/\0.*$/s, "");
  const kind =
    incompat & (INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_FLEX_BG)
      ? "ext4"
      : compat & COMPAT_HAS_JOURNAL
        ? "ext3"
        : "ext2";
  return { kind, blockSize, blockCount, bytes: blockCount * blockSize, label };
}

export type ExtCheck = { ok: true; superblock: ExtSuperblock } | { ok: false; reason: string };

/**
 * Why `file` (a regular file of `size` bytes) is not a whole ext2/3/4 filesystem, or its
 * superblock when it is. A file shorter than its superblock says was cut off: a guest
 * booting on it would fail on the first read past the end, long after the import said yes.
 */
export async function checkExtFilesystem(file: FileHandle, size: number): Promise<ExtCheck> {
  const head = Buffer.alloc(SUPERBLOCK_AT + SUPERBLOCK_BYTES);
  const { bytesRead } = await file.read(head, 0, head.length, 0);
  const sb = bytesRead === head.length ? parseExtSuperblock(head) : null;
  if (!sb) {
    return {
      ok: false,
      reason: "It is not an ext2/3/4 filesystem image (no ext superblock magic 0xEF53 at byte 1080).",
    };
  }
  if (sb.bytes > size) {
    return {
      ok: false,
      reason:
        `It is truncated: its ${sb.kind} superblock says ${sb.bytes} bytes (${sb.blockCount} blocks of ` +
        `${sb.blockSize}), but the file has only ${size}.`,
    };
  }
  return { ok: true, superblock: sb };
}
