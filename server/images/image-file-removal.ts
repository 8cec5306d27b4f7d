// A deleted image's files on the other hosts of a fleet: the daemon that deleted it asks each
// of their daemons (a daemon's fleet pass, fleet-image-routes.ts) to remove its own file. A
// host's daemon removes only a file of its own images directory that no image copy names.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db";
import { bodyDigest, DAEMON_ACTOR, FLEET_HEADER, type FleetPasses } from "../hosts/fleet-pass";
import type { ThisHost } from "../hosts/guest-host";
import { logger } from "../log";

const log = logger("images");
const ANSWER_MS = 10_000;
const IMAGE_FILE = /^[a-z][a-z0-9._-]{0,80}\.img$/;

export const strayFilePath = (file: string) => `/api/fleet/image-files?${new URLSearchParams({ path: file })}`;

/** Removes `file` when it is in this host's images directory `dir` and no copy names it; whether it did. */
export async function removeStrayImageFile(db: Db, here: ThisHost, dir: string, file: string): Promise<boolean> {
  if (!path.isAbsolute(file) || path.dirname(file) !== dir || !IMAGE_FILE.test(path.basename(file))) return false;
  if (await db.imageCopy.findFirst({ where: { hostId: here.id, path: file }, select: { id: true } })) return false;
  await fs.promises.rm(file, { force: true });
  log.info("a deleted image's file removed from this host", { file });
  return true;
}

/**
 * Asks each host of `copies` to remove its file of a just-deleted image; the names of the
 * hosts whose daemon could not (unreachable, or no fleet secret), whose file stays.
 */
export async function removeFilesElsewhere(
  db: Db,
  fleet: FleetPasses | null,
  copies: Array<{ hostId: string; path: string }>,
): Promise<string[]> {
  const left: string[] = [];
  for (const copy of copies) {
    const host = await db.host.findUnique({ where: { id: copy.hostId }, select: { name: true, address: true } });
    if (!host) continue;
    const route = strayFilePath(copy.path);
    try {
      if (!fleet) throw new Error("this host has no CORRAL_FLEET_SECRET");
      const pass = fleet.issue(copy.hostId, DAEMON_ACTOR, {
        http: { method: "DELETE", path: route, body: bodyDigest() },
      });
      const res = await fetch(new URL(route, host.address), {
        method: "DELETE",
        headers: { [FLEET_HEADER]: pass },
        redirect: "error",
        signal: AbortSignal.timeout(ANSWER_MS),
      });
      if (!res.ok) throw new Error(`it answered ${res.status}`);
    } catch (err) {
      log.warn("a deleted image's file stays on another host: remove it there by hand", {
        host: host.name,
        file: copy.path,
        why: (err as Error).message,
      });
      left.push(host.name);
    }
  }
  return left;
}
