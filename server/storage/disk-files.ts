import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

// Disk files can be gigabytes: nothing here reads, copies or removes one on the daemon's
// event loop (cp runs as its own process; unlinking a large file happens in libuv's pool).

/**
 * Copies a file keeping it sparse (a COW file is mostly holes the size of its image; an
 * image's free space is zeros), via a temporary name so `dest` is either the old file or
 * the complete new one, never half. The copy is mode 0600 whatever the source's mode.
 */
export async function copySparse(src: string, dest: string): Promise<void> {
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.partial`);
  try {
    await run("cp", ["--sparse=always", "--reflink=auto", "--", src, tmp]);
    await fs.promises.chmod(tmp, 0o600);
    await fs.promises.rename(tmp, dest);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** Bytes a sparse file really occupies on disk; 0 when it is not there. */
export async function allocatedBytes(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).blocks * 512;
  } catch {
    return 0;
  }
}

/** Removes a file by renaming it aside first: the name is gone at once, whatever its size. */
export async function discard(file: string): Promise<boolean> {
  const aside = path.join(path.dirname(file), `.discard-${path.basename(file)}-${process.pid}-${Date.now()}`);
  try {
    await fs.promises.rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  await fs.promises.rm(aside, { force: true });
  return true;
}
