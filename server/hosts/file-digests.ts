// What a migration checks a guest's files by (hosts/guest-migration.ts): one digest per file,
// the sha256 of the sha256s of its 1 MiB blocks. A guest's COW file is mostly holes (read as
// zeros); an all-zero block's sha256 is known, so such blocks cost a comparison, not a hash,
// and holes cost almost nothing on either end. Both hosts compute it the same way from the
// file's contents alone, whatever its holes are on each disk.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const BLOCK = 2 ** 20;
const ZEROS = Buffer.alloc(BLOCK);
const ZERO_BLOCK = createHash("sha256").update(ZEROS).digest();

/** path (relative to the guest's directory) → digest */
export type FileDigests = Record<string, string>;

/** The digest of `file` (see above). The event loop gets a turn between blocks. */
export async function digestFile(file: string): Promise<string> {
  const handle = await fs.promises.open(file, "r");
  const outer = createHash("sha256");
  const block = Buffer.allocUnsafe(BLOCK);
  try {
    for (let pos = 0; ;) {
      let got = 0;
      while (got < BLOCK) {
        const { bytesRead } = await handle.read(block, got, BLOCK - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (got === 0) break;
      outer.update(
        got === BLOCK && block.equals(ZEROS)
          ? ZERO_BLOCK
          : createHash("sha256").update(block.subarray(0, got)).digest(),
      );
      pos += got;
      if (got < BLOCK) break;
    }
  } finally {
    await handle.close();
  }
  return outer.digest("hex");
}

/** The digests of `files` (relative to `dir`). */
export async function digestFiles(dir: string, files: string[]): Promise<FileDigests> {
  const out: FileDigests = {};
  for (const f of files) out[f] = await digestFile(path.join(dir, f));
  return out;
}

/** Which file of `want` (the original's) `got` (the copy's) lacks or has different, in a sentence; null when they agree. */
export function digestMismatch(want: FileDigests, got: FileDigests): string | null {
  for (const [file, digest] of Object.entries(want)) {
    if (!(file in got)) return `${file} did not arrive`;
    if (got[file] !== digest) return `${file} arrived with different contents (digest ${got[file].slice(0, 12)}…)`;
  }
  const extra = Object.keys(got).find((f) => !(f in want));
  return extra ? `${extra} arrived but was not sent` : null;
}
