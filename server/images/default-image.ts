import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { BUSYBOX_DIRS, BUSYBOX_FILES } from "./busybox-root";
import { isStaticElf } from "./elf";

const run = promisify(execFile);

export const DEFAULT_IMAGE_NAME = "busybox";
const IMAGE_SIZE = "32M";
const BUSYBOX_CANDIDATES = ["/bin/busybox", "/usr/bin/busybox"];
const MKE2FS_CANDIDATES = ["/usr/sbin/mke2fs", "/sbin/mke2fs"];

export class ImageBuildError extends Error {}

/**
 * Builds the built-in busybox root filesystem at `dest` without root privileges
 * (`mke2fs -d` copies a staged directory into the new filesystem). Written to a temporary
 * name and renamed, so a failed or interrupted build leaves nothing behind.
 */
export async function buildDefaultImage(dest: string, progress: (step: string) => void = () => {}): Promise<void> {
  const busybox = BUSYBOX_CANDIDATES.find((p) => fs.existsSync(p) && isStaticElf(p));
  if (!busybox) {
    throw new ImageBuildError("No statically linked busybox found. Install it with: apt-get install -y busybox-static");
  }
  const mke2fs = MKE2FS_CANDIDATES.find((p) => fs.existsSync(p));
  if (!mke2fs) throw new ImageBuildError("mke2fs not found. Install it with: apt-get install -y e2fsprogs");
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "corral-image-"));
  const partial = `${dest}.partial`;
  try {
    progress("staging root filesystem");
    for (const dir of BUSYBOX_DIRS) fs.mkdirSync(path.join(staging, dir), { recursive: true });
    fs.copyFileSync(busybox, path.join(staging, "bin/busybox"));
    fs.chmodSync(path.join(staging, "bin/busybox"), 0o755);
    const { stdout } = await run(busybox, ["--list"]);
    for (const applet of stdout.split("\n").map((a) => a.trim())) {
      if (!/^[a-z0-9_.[-]+$/i.test(applet) || applet === "busybox") continue;
      fs.symlinkSync("busybox", path.join(staging, "bin", applet));
    }
    fs.symlinkSync("../bin/busybox", path.join(staging, "sbin/init"));
    for (const [file, { mode, text }] of Object.entries(BUSYBOX_FILES)) {
      fs.writeFileSync(path.join(staging, file), text, { mode });
    }
    fs.chmodSync(path.join(staging, "tmp"), 0o1777);
    progress("making ext4 filesystem");
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.rmSync(partial, { force: true });
    await run(mke2fs, ["-q", "-F", "-t", "ext4", "-L", "corral-busybox", "-d", staging, partial, IMAGE_SIZE]);
    fs.chmodSync(partial, 0o444);
    fs.renameSync(partial, dest);
    progress("done");
  } catch (err) {
    fs.rmSync(partial, { force: true });
    if (err instanceof ImageBuildError) throw err;
    throw new ImageBuildError(`Building the default image failed: ${(err as Error).message}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
