// A context guest moving to another host (hosts/guest-migration.ts, guest-receive.ts). Its
// layer's files are owned by the uid range the sending host gave it, which on the receiving
// host may be another guest's. So the layer travels as one archive with numeric owners and
// every xattr (a regular file, checked by the migration's manifest like the others), and the
// receiving host, once the copy checks out, gives the guest a range of its own and shifts
// every owner to it the way clones do (layer-copy.ts) — snapshots (layer archives) too.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { copyShiftedLayer, LAYER_TAR } from "./layer-copy";

const run = promisify(execFile);

/** The layer as it travels, in the guest's folder on both hosts until it is unpacked. */
export const LAYER_ARCHIVE = ".layer.tar";
/** Of a context guest's folder, what does not travel: the layer's folders (the archive does), and the seed, rewritten at every start. */
export const STAYS_BEHIND = ["upper", "work", "seed"];
const RANGE_FILE = "uid-range";

async function readBase(dir: string): Promise<number | null> {
  const n = Number((await fs.promises.readFile(path.join(dir, RANGE_FILE), "utf8").catch(() => "")).trim());
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Writes guest folder `dir`'s layer into LAYER_ARCHIVE (none for a guest that never started). */
export async function packLayer(dir: string): Promise<void> {
  const upper = path.join(dir, "upper");
  const archive = path.join(dir, LAYER_ARCHIVE);
  await fs.promises.rm(archive, { force: true });
  if (!fs.existsSync(upper)) return;
  await run("tar", [...LAYER_TAR, "--sparse", "-C", upper, "-cf", archive, "."]);
}

/** Removes what packLayer wrote (the move did not happen: the guest's own layer is untouched). */
export const dropPackedLayer = (dir: string) => fs.promises.rm(path.join(dir, LAYER_ARCHIVE), { force: true });

/**
 * Turns a received context guest's folder `dir` into this host's: a range of its own
 * (`allocate` records it in the folder) and its layer and snapshots owned by it. Refuses
 * (conflict) a layer with an owner outside the sender's range or an id-holding xattr.
 */
export async function adoptMovedLayer(dir: string, allocate: () => Promise<number>): Promise<void> {
  const from = await readBase(dir);
  if (from === null) return; // never started: no layer, no snapshot files
  await fs.promises.rm(path.join(dir, RANGE_FILE));
  const to = await allocate();
  const scratch = path.join(dir, ".shift");
  const archive = path.join(dir, LAYER_ARCHIVE);
  if (fs.existsSync(archive)) {
    await unpackShifted(archive, path.join(dir, "upper"), from, to, scratch);
    await fs.promises.rm(archive);
  }
  const snapshots = path.join(dir, "snapshots");
  for (const name of await fs.promises.readdir(snapshots).catch(() => [] as string[])) {
    const file = path.join(snapshots, name);
    const layer = `${scratch}-layer`;
    await unpackShifted(file, layer, from, to, scratch);
    await run("tar", [...LAYER_TAR, "--sparse", "-C", layer, "-cpf", `${file}.shifted`, "."]);
    await fs.promises.rename(`${file}.shifted`, file);
    await fs.promises.rm(layer, { recursive: true, force: true });
  }
}

/** Unpacks layer archive `archive` (owned by the range at `from`) into `dest` owned by the range at `to`. */
async function unpackShifted(archive: string, dest: string, from: number, to: number, scratch: string) {
  const raw = `${scratch}-raw`;
  await fs.promises.rm(raw, { recursive: true, force: true });
  await fs.promises.mkdir(raw, { recursive: true, mode: 0o700 });
  try {
    // -p as root: owners, modes and xattrs as archived (the sender's range), then shifted.
    await run("tar", [...LAYER_TAR, "-p", "-C", raw, "-xf", archive]);
    await copyShiftedLayer(raw, dest, from, to, scratch);
  } finally {
    await fs.promises.rm(raw, { recursive: true, force: true });
  }
}
