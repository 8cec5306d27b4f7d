import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { promisify } from "node:util";
import { contextRoot, imageMountPaths } from "./lxc-paths";

const run = promisify(execFile);

/** Mount points in this mount namespace, from /proc/self/mountinfo (field 5, octal escapes undone). */
async function mountPoints(): Promise<Set<string>> {
  const text = await fs.promises.readFile("/proc/self/mountinfo", "utf8");
  return new Set(
    text
      .split("\n")
      .map((line) => line.split(" ")[4])
      .filter(Boolean)
      .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))),
  );
}

/**
 * Images as context guests see them: each image file loop-mounted read-only once on the
 * host (its file is never written; every guest's changes go to its own upper layer). A
 * guest's start makes its own idmapped view of that mount in a private mount namespace
 * (idmap-mount.c), so nothing per guest is ever mounted here.
 */
export class ImageMounts {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataDir: string) {}

  /** The read-only mount of `imagePath` (made on first use) and the folder its idmapped view goes on. */
  ensure(imagePath: string): Promise<{ lower: string; idmapped: string }> {
    const next = this.turn.then(() => this.mount(imagePath));
    this.turn = next.catch(() => {});
    return next;
  }

  private async mount(imagePath: string) {
    const key = crypto.createHash("sha256").update(imagePath).digest("hex").slice(0, 16);
    const paths = imageMountPaths(this.dataDir, key);
    if ((await mountPoints()).has(paths.lower)) return paths;
    await fs.promises.mkdir(paths.lower, { recursive: true });
    await fs.promises.mkdir(paths.idmapped, { recursive: true });
    // noload: a read-only ext4 mount must not replay a journal (that would write the image).
    await run("mount", ["-o", "ro,loop,noload", "-t", "ext4", imagePath, paths.lower]);
    return paths;
  }

  /**
   * Unmounts every image mount this data directory has. Running guests keep theirs: their
   * mount namespaces hold copies, and the loop device goes with the last of them.
   */
  async unmountAll(): Promise<void> {
    await this.turn;
    const dir = `${contextRoot(this.dataDir)}/images/`;
    for (const point of await mountPoints()) {
      if (point.startsWith(dir)) await run("umount", [point]).catch(() => {});
    }
  }
}
