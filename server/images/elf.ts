import fs from "node:fs";

const PT_INTERP = 3;

/**
 * True when an x86-64 ELF executable needs no dynamic loader. The default image copies
 * the host's busybox into an otherwise empty root: a dynamically linked one would leave
 * the guest without a working init.
 */
export function isStaticElf(file: string): boolean {
  const buf = fs.readFileSync(file);
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2) return false;
  const phoff = Number(buf.readBigUInt64LE(0x20));
  const phentsize = buf.readUInt16LE(0x36);
  const phnum = buf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > buf.length) return false;
    if (buf.readUInt32LE(at) === PT_INTERP) return false;
  }
  return true;
}
