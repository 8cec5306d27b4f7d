import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  checkCowFile,
  CowError,
  cowChangedBytes,
  isUnfinishedCow,
  mergeCow,
  parseCowHeader,
  readCowHeader,
  rebaseCowFile,
} from "./cow-file";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A COW file laid out exactly as UML writes version 3, over `image`, with `sectors` changed. */
function writeCow(file: string, image: string, sectors: Map<number, Buffer>, alignment = 4096): void {
  const st = fs.statSync(image);
  const header = Buffer.alloc(32 + 4096);
  header.writeUInt32BE(0x4f4f4f4d, 0);
  header.writeUInt32BE(3, 4);
  header.writeUInt32BE(Math.floor(st.mtimeMs / 1000), 8);
  header.writeBigUInt64BE(BigInt(st.size), 12);
  header.writeUInt32BE(512, 20);
  header.writeUInt32BE(alignment, 24);
  header.write(image, 32);
  const bitmapOffset = Math.ceil(header.length / alignment) * alignment;
  const bitmap = Buffer.alloc(Math.ceil(st.size / 512 / 8));
  const dataOffset = Math.ceil((bitmapOffset + bitmap.length) / alignment) * alignment;
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, header, 0, header.length, 0);
  for (const [n, data] of sectors) {
    bitmap[n >> 3] |= 1 << (n & 7);
    fs.writeSync(fd, data, 0, 512, dataOffset + n * 512);
  }
  fs.writeSync(fd, bitmap, 0, bitmap.length, bitmapOffset);
  fs.ftruncateSync(fd, dataOffset + st.size);
  fs.closeSync(fd);
}

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cow-"));
  dirs.push(dir);
  const image = path.join(dir, "image.img");
  fs.writeFileSync(image, crypto.randomBytes(256 * 512));
  return { dir, image };
}

describe("COW files", () => {
  it("reads the header UML writes", async () => {
    const { dir, image } = scratch();
    const cow = path.join(dir, "root.cow");
    writeCow(cow, image, new Map());
    const h = await readCowHeader(cow);
    expect(h).toMatchObject({
      version: 3,
      backingFile: image,
      backingSize: 256 * 512,
      sectorSize: 512,
      alignment: 4096,
    });
    expect(h.bitmapOffset).toBe(8192);
    expect(h.dataOffset).toBe(12288);
    await expect(checkCowFile(cow, image)).resolves.toBeUndefined();
    expect(await cowChangedBytes(cow)).toBe(0);
  });

  it("merges changed sectors — including runs and the last sector — into a copy", async () => {
    const { dir, image } = scratch();
    const cow = path.join(dir, "root.cow");
    const changed = new Map([0, 7, 8, 9, 100, 255].map((n) => [n, crypto.randomBytes(512)] as const));
    writeCow(cow, image, changed);
    const before = fs.readFileSync(image);
    const out = path.join(dir, "merged.img");
    await mergeCow(cow, image, out);
    expect(await cowChangedBytes(cow)).toBe(changed.size * 512);
    const expected = Buffer.from(before);
    for (const [n, data] of changed) data.copy(expected, n * 512);
    expect(fs.readFileSync(out).equals(expected)).toBe(true);
    expect(fs.readFileSync(image).equals(before)).toBe(true);
    // The reference implementation, where installed, agrees byte for byte.
    if (fs.existsSync("/usr/bin/uml_moo")) {
      const ref = path.join(dir, "moo.img");
      execFileSync("/usr/bin/uml_moo", [cow, ref]);
      expect(fs.readFileSync(ref).equals(expected)).toBe(true);
    }
  });

  it.each([
    ["a foreign file", () => Buffer.alloc(5000, 1), /signature/],
    ["a short file", () => Buffer.alloc(100), /too short/],
  ])("refuses %s", (_name, make, message) => {
    expect(() => parseCowHeader(make())).toThrow(message);
  });

  it("notices a COW that belongs to another image, a changed image, or a truncated file", async () => {
    const { dir, image } = scratch();
    const cow = path.join(dir, "root.cow");
    writeCow(cow, image, new Map());
    const other = path.join(dir, "other.img");
    fs.copyFileSync(image, other);
    await expect(checkCowFile(cow, other)).rejects.toThrow(CowError);
    fs.utimesSync(image, new Date(), new Date(Date.now() + 5000));
    await expect(checkCowFile(cow, image)).rejects.toThrow(/modified/);
    writeCow(cow, image, new Map());
    fs.truncateSync(cow, 9000);
    await expect(checkCowFile(cow, image)).rejects.toThrow(/truncated/);
  });

  it("tells a COW UML began and never finished (empty, header only, short of its data) from a whole or foreign one", async () => {
    const { dir, image } = scratch();
    const cow = path.join(dir, "root.cow");
    fs.writeFileSync(cow, "");
    expect(await isUnfinishedCow(cow)).toBe(true);
    writeCow(cow, image, new Map());
    const whole = fs.statSync(cow).size;
    expect(await isUnfinishedCow(cow)).toBe(false);
    fs.truncateSync(cow, 32 + 4096); // the header written, the file not yet extended
    expect(await isUnfinishedCow(cow)).toBe(true);
    fs.truncateSync(cow, 100); // the header's write cut short
    expect(await isUnfinishedCow(cow)).toBe(true);
    writeCow(cow, image, new Map([[3, crypto.randomBytes(512)]]));
    expect(fs.statSync(cow).size).toBe(whole);
    expect(await isUnfinishedCow(cow)).toBe(false);
    fs.writeFileSync(cow, Buffer.alloc(100, 1)); // not UML's
    expect(await isUnfinishedCow(cow)).toBe(false);
    fs.writeFileSync(cow, Buffer.alloc(5000, 1));
    expect(await isUnfinishedCow(cow)).toBe(false);
  });

  it("rebases a COW onto a copy of its image elsewhere (another path and mtime), keeping its data", async () => {
    const { dir, image } = scratch();
    const cow = path.join(dir, "root.cow");
    const sector = crypto.randomBytes(512);
    writeCow(cow, image, new Map([[3, sector]]));
    const copy = path.join(dir, "copied", "image.img");
    fs.mkdirSync(path.dirname(copy));
    fs.copyFileSync(image, copy);
    fs.utimesSync(copy, new Date(), new Date(Date.now() + 60_000));
    await expect(checkCowFile(cow, copy)).rejects.toThrow(/belongs to/);
    expect(await rebaseCowFile(cow, copy)).toBe(true);
    await expect(checkCowFile(cow, copy)).resolves.toBeUndefined();
    expect((await readCowHeader(cow)).backingFile).toBe(copy);
    expect(await rebaseCowFile(cow, copy)).toBe(false);
    const merged = path.join(dir, "merged.img");
    await mergeCow(cow, copy, merged);
    const fd = fs.openSync(merged, "r");
    const got = Buffer.alloc(512);
    fs.readSync(fd, got, 0, 512, 3 * 512);
    fs.closeSync(fd);
    expect(got.equals(sector)).toBe(true);
    // A COW made for an image of another size is never pointed at this one.
    fs.truncateSync(copy, fs.statSync(copy).size + 512);
    await expect(rebaseCowFile(cow, copy)).rejects.toThrow(/expects an image of/);
  });

  it("refuses a FIFO in place of a COW file without waiting for a writer", async () => {
    const { dir, image } = scratch();
    const fifo = path.join(dir, "root.cow");
    execFileSync("mkfifo", [fifo]);
    await expect(checkCowFile(fifo, image)).rejects.toThrow(/not a regular file/);
  });
});
