import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The run's data directory and import directory (playwright.config.ts sets them for both servers). */
export const dataDir = () => process.env.CORRAL_E2E_DATA_DIR!;
export const importDir = () => path.join(dataDir(), "import");
export const imagesDir = () => path.join(dataDir(), "images");

/** An empty ext4 filesystem of `size` (mke2fs size syntax), at a fresh temporary path. */
export function makeExt4(size: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "corral-e2e-img-")), "rootfs.img");
  execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", "ext4", file, size]);
  return file;
}

/**
 * A copy of a Debian image whose root password is `hash` — what Corral's seed disk does on
 * a guest's first boot, done to the file with debugfs for as long as the daemon attaches no
 * seed disks. The copy goes to the import directory, ready to import.
 */
export function copyWithRootPassword(image: string, name: string, hash: string): string {
  const dest = path.join(importDir(), name);
  execFileSync("cp", ["--sparse=always", image, dest]);
  fs.chmodSync(dest, 0o644);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "corral-e2e-shadow-"));
  try {
    const debugfs = (...args: string[]) =>
      execFileSync("/sbin/debugfs", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const shadow = debugfs("-R", "cat /etc/shadow", dest).replace(/^root:[^:]*:/m, `root:${hash}:`);
    const gid = /^shadow:x:(\d+):/m.exec(debugfs("-R", "cat /etc/group", dest))![1];
    fs.writeFileSync(path.join(work, "shadow"), shadow);
    const commands = [
      "rm /etc/shadow",
      `write ${path.join(work, "shadow")} /etc/shadow`,
      "sif /etc/shadow mode 0100640",
      "sif /etc/shadow uid 0",
      `sif /etc/shadow gid ${gid}`,
    ];
    fs.writeFileSync(path.join(work, "commands"), commands.join("\n") + "\n");
    debugfs("-w", "-f", path.join(work, "commands"), dest);
    if (!debugfs("-R", "cat /etc/shadow", dest).includes(`root:${hash}:`)) throw new Error("debugfs did not write");
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dest;
}
