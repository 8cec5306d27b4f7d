import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Copies a COW file keeping it sparse (it is mostly holes the size of the image), via a
 * temporary name so `dest` is either the old file or the complete new one, never half.
 */
export async function copySparse(src: string, dest: string): Promise<void> {
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.partial`);
  try {
    await run("cp", ["--sparse=always", "--reflink=auto", "--", src, tmp]);
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Bytes a sparse file really occupies on disk. */
export function allocatedBytes(file: string): number {
  try {
    return fs.statSync(file).blocks * 512;
  } catch {
    return 0;
  }
}

/** Removes a file by renaming it aside first: the name is gone at once, whatever its size. */
export function discard(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const aside = path.join(path.dirname(file), `.discard-${path.basename(file)}-${process.pid}-${Date.now()}`);
  fs.renameSync(file, aside);
  fs.rmSync(aside, { force: true });
  return true;
}
