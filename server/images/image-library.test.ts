import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ImageCopy } from "../../generated/prisma/client";
import type { Db } from "../db";
import { sha256File, verifyImage } from "./image-library";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-image-library-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database that fails the test if verifyImage writes: it writes only after hashing. */
const noWrites = {
  imageCopy: {
    update: () => {
      throw new Error("the image was hashed again");
    },
  },
} as unknown as Db;

/** An image and this host's copy of it, as recorded. */
async function registered(name: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.alloc(64 * 1024, 1));
  // A modification time with a fraction of a millisecond, as filesystems keep it.
  fs.utimesSync(file, new Date(), 1764515812.3456789);
  const st = fs.statSync(file);
  const image = { name, sha256: await sha256File(file) };
  const copy = { id: name, path: file, sizeBytes: BigInt(st.size), mtime: st.mtime } as ImageCopy;
  return { image, copy };
}

describe("verifyImage", () => {
  it("trusts a copy whose size and modification time are as recorded, without reading it", async () => {
    const { image, copy } = await registered("same.img");
    await expect(verifyImage(noWrites, image, copy)).resolves.toBeUndefined();
  });

  it("hashes a copy whose modification time changed, and refuses it if its content did", async () => {
    const { image, copy } = await registered("changed.img");
    fs.writeFileSync(copy.path, Buffer.alloc(64 * 1024, 2));
    await expect(verifyImage(noWrites, image, copy)).rejects.toThrow(/changed on disk/);
  });

  it("refuses an image this host has no copy of, saying how to copy it", async () => {
    const { image } = await registered("absent.img");
    await expect(verifyImage(noWrites, image, null)).rejects.toThrow(/not on this host; copy it here/);
  });
});
