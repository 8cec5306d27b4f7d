import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The run's data directory and import directory (playwright.config.ts sets them for both servers). */
export const dataDir = () => process.env.CORRAL_E2E_DATA_DIR!;
export const importDir = () => path.join(dataDir(), "import");
export const imagesDir = () => path.join(dataDir(), "images");

const made: string[] = [];

/** An empty ext4 filesystem of `size` (mke2fs size syntax), at a fresh temporary path. */
export function makeExt4(size: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-e2e-img-"));
  made.push(dir);
  const file = path.join(dir, "rootfs.img");
  execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", "ext4", file, size]);
  return file;
}

/** Removes every filesystem makeExt4 made in this worker. */
export function removeExt4s(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
