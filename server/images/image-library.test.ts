import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Image } from "../../generated/prisma/client";
import type { Db } from "../db";
import { sha256File, verifyImage } from "./image-library";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-image-library-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database that fails the test if verifyImage writes: it writes only after hashing. */
const noWrites = {
  image: {
    update: () => {
      throw new Error("the image was hashed again");
    },
  },
} as unknown as Db;

async function registered(name: string): Promise<Image> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.alloc(64 * 1024, 1));
  // A modification time with a fraction of a millisecond, as filesystems keep it.
  fs.utimesSync(file, new Date(), 1764515812.3456789);
  const st = fs.statSync(file);
  return {
    id: name,
    name,
    path: file,
    sha256: await sha256File(file),
    sizeBytes: BigInt(st.size),
    mtime: st.mtime,
  } as Image;
}

describe("verifyImage", () => {
  it("trusts an image whose size and modification time are as registered, without reading it", async () => {
    const image = await registered("same.img");
    await expect(verifyImage(noWrites, image)).resolves.toBeUndefined();
  });

  it("hashes an image whose modification time changed, and refuses it if its content did", async () => {
    const image = await registered("changed.img");
    fs.writeFileSync(image.path, Buffer.alloc(64 * 1024, 2));
    await expect(verifyImage(noWrites, image)).rejects.toThrow(/changed on disk/);
  });
});
