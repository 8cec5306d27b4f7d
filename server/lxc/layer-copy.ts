import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { runStep } from "../images/build-process";
import { conflict } from "../errors";
import { RANGE_SIZE } from "./host-support";

const run = promisify(execFile);

/**
 * How every layer copy runs tar: numeric owners, all xattrs both ways (without the include
 * pattern GNU tar drops trusted.* on create, so overlayfs's opaque marks would be lost),
 * sparse files kept sparse. Overlay whiteouts (0:0 character devices, hard-linked to each
 * other by the kernel) are ordinary archive members. tar never follows a symlink on create.
 */
export const LAYER_TAR = ["--numeric-owner", "--xattrs", "--xattrs-include=*"];

/** Xattrs whose values hold host ids: tar would copy them unshifted, wrong in any other range. */
const ID_XATTR = /^ {2}x: \d+ (security\.capability|system\.posix_acl_(?:access|default))$/;

/**
 * Refuses a layer holding an owner or group outside [base, base + RANGE_SIZE): the guest
 * cannot make one, so it means the layer was changed from the host, and shifting it would
 * hand a host id to another guest. Walks with lstat: never through a symlink.
 */
export async function checkLayerOwners(dir: string, base: number): Promise<void> {
  const inRange = (id: number) => id >= base && id < base + RANGE_SIZE;
  const visit = async (p: string): Promise<void> => {
    const st = await fs.promises.lstat(p);
    if (!inRange(st.uid) || !inRange(st.gid)) {
      const where = path.relative(dir, p) || ".";
      throw conflict(
        `The guest's disk has a file (/${where === "." ? "" : where}) owned by host ids ${st.uid}:${st.gid}, outside its own range ${base}–${base + RANGE_SIZE - 1}. It was changed from the host; fix or remove that file, then try again.`,
      );
    }
    if (!st.isDirectory()) return;
    for (const name of await fs.promises.readdir(p)) await visit(path.join(p, name));
  };
  await visit(dir);
}

/** An owner/group map for GNU tar (`+OLD +NEW` a line): every id of one range to the same offset in another. */
function rangeMap(fromBase: number, toBase: number): string {
  const lines: string[] = [];
  for (let i = 0; i < RANGE_SIZE; i++) lines.push(`+${fromBase + i} +${toBase + i}`);
  return lines.join("\n") + "\n";
}

/** Refuses an archive whose members carry file capabilities or ACLs (their ids would not be shifted). */
async function refuseIdXattrs(archive: string): Promise<void> {
  let member = "";
  let found: string | null = null;
  await runStep("tar", [...LAYER_TAR, "-tvvf", archive], {
    signal: new AbortController().signal,
    onLine: (line) => {
      const xattr = ID_XATTR.exec(line);
      if (!xattr) member = line.replace(/^.*? \d{2}:\d{2} /, "");
      else found ??= `${member} (${xattr[1]})`;
    },
  });
  if (found) {
    throw conflict(
      `The guest's disk has a file with capabilities or an ACL: ${found}. These hold ids Corral cannot shift to another guest yet; remove them in the guest (setcap -r, setfacl -b) and try again.`,
    );
  }
}

/**
 * Copies a context guest's layer `src` (owned by the range at `fromBase`) to `dest` (which
 * must not exist) with every owner and group moved to the range at `toBase` (0: the image's
 * own ids). Keeps modes, xattrs, symlinks, hard links, device nodes and whiteouts. On any
 * failure nothing of `dest` is left. `scratch` holds the id map and the archive meanwhile.
 */
export async function copyShiftedLayer(
  src: string,
  dest: string,
  fromBase: number,
  toBase: number,
  scratch: string,
): Promise<void> {
  await checkLayerOwners(src, fromBase);
  await fs.promises.rm(scratch, { recursive: true, force: true });
  await fs.promises.mkdir(scratch, { recursive: true, mode: 0o700 });
  let made = false;
  try {
    const map = path.join(scratch, "id-map");
    await fs.promises.writeFile(map, rangeMap(fromBase, toBase));
    const archive = path.join(scratch, "layer.tar");
    const maps = [`--owner-map=${map}`, `--group-map=${map}`];
    await run("tar", [...LAYER_TAR, ...maps, "--sparse", "-C", src, "-cf", archive, "."]);
    await refuseIdXattrs(archive);
    await fs.promises.mkdir(dest);
    made = true;
    // -p as root: modes (set-id bits too) are restored after the owners, xattrs kept.
    await run("tar", [...LAYER_TAR, "-p", "-C", dest, "-xf", archive]);
  } catch (err) {
    if (made) await fs.promises.rm(dest, { recursive: true, force: true });
    throw err;
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}
