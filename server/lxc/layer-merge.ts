import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { mountsUnder, removeStaging } from "../images/build-process";
import { insufficient } from "../errors";
import { copyShiftedLayer } from "./layer-copy";

const run = promisify(execFile);

/** What of the image's filesystem a rebuilt image keeps: its size, block size, inode count, label and UUID. */
export async function imageGeometry(imagePath: string) {
  const { stdout } = await run("dumpe2fs", ["-h", imagePath], { maxBuffer: 4 << 20 });
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "m").exec(stdout)?.[1]?.trim() ?? "";
  const blockSize = Number(field("Block size"));
  const blocks = Number(field("Block count"));
  const inodes = Number(field("Inode count"));
  if (!blockSize || !blocks || !inodes) throw new Error(`${imagePath} is not an ext4 image dumpe2fs can read.`);
  const label = field("Filesystem volume name");
  return { blockSize, blocks, inodes, label: label === "<none>" ? "" : label, uuid: field("Filesystem UUID") };
}

/**
 * Writes to `dest` a new ext4 image: `imagePath` with a context guest's layer `upper` (owned
 * by the range at `base`) merged in, owners back to the image's own ids. The kernel does the
 * merge: the layer, shifted to the image's ids, goes over a read-only mount of the image in
 * a read-only overlay (no upper: whiteouts delete, opaque folders hide what is below, as in
 * the guest), and mke2fs copies that merged view into a fresh filesystem with the image's
 * geometry, label and UUID. `scratch` (made and removed here) holds the mounts meanwhile.
 */
export async function mergeLayer(o: {
  upper: string;
  base: number;
  imagePath: string;
  dest: string;
  scratch: string;
}): Promise<void> {
  const layer = path.join(o.scratch, "layer");
  const lower = path.join(o.scratch, "lower");
  const merged = path.join(o.scratch, "merged");
  await fs.promises.rm(o.scratch, { recursive: true, force: true });
  await fs.promises.mkdir(o.scratch, { recursive: true, mode: 0o700 });
  try {
    await copyShiftedLayer(o.upper, layer, o.base, 0, path.join(o.scratch, "copy"));
    await fs.promises.mkdir(lower);
    await fs.promises.mkdir(merged);
    // noload: the image file is never written, not even a journal replay. The loop device
    // is set to clear itself on unmount.
    await run("mount", ["-o", "ro,loop,noload", "-t", "ext4", o.imagePath, lower]);
    // trusted.overlay.* xattrs (no `userxattr`), as in the guest's own mount. Paths come from
    // the data directory and generated ids: no ',' or ':' to escape.
    await run("mount", ["-t", "overlay", "overlay", "-o", `ro,lowerdir=${layer}:${lower}`, merged]);
    const g = await imageGeometry(o.imagePath);
    const args = ["-q", "-F", "-t", "ext4", "-b", String(g.blockSize), "-N", String(g.inodes), "-d", merged];
    if (g.label) args.push("-L", g.label);
    if (g.uuid) args.push("-U", g.uuid);
    await run("mke2fs", [...args, o.dest, String(g.blocks)], { maxBuffer: 4 << 20 }).catch((err: Error) => {
      if (!/Could not allocate|No space left/i.test(err.message))
        throw new Error(`mke2fs could not build the image: ${err.message}`);
      const mib = Math.round((g.blocks * g.blockSize) / 2 ** 20);
      throw insufficient(
        `The guest's changes do not fit in its image's ${mib} MiB, so they cannot be committed to an image of that size. Remove files in the guest and try again.`,
      );
    });
  } finally {
    await unmountInOrder([merged, lower]);
    if (!removeStaging(o.scratch)) {
      throw new Error(
        `Could not unmount ${mountsUnder(o.scratch).join(", ")}; unmount it by hand, then delete ${o.scratch}.`,
      );
    }
  }
}

/** The overlay before the image mount under it (unmounting the image releases its loop device). */
async function unmountInOrder(points: string[]): Promise<void> {
  for (const point of points) {
    if (mountsUnder(point).length) await run("umount", [point]).catch(() => {});
  }
}
