// The receiving end of a migration (hosts/guest-migration.ts runs the sending end): this
// host's daemon pulls the guest's directory from the host that runs it, into a temporary
// directory, checks every file against the sender's manifest, digests each (the sender
// compares them with its own) and only then renames it into place, and flushes it to disk
// before it answers (the sender deletes its copy on that answer). Whatever goes wrong, nothing
// is left here but what was here before; a daemon killed halfway leaves a `.incoming-*`
// directory that its next start removes.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, insufficient, NO_SUCH_GUEST, notFound, unavailable } from "../errors";
import { dataDirFreeMiB } from "../host";
import type { GuestStore } from "../guests/guest-store";
import { logger } from "../log";
import { guestPaths } from "../uml/paths";
import type { FleetActor } from "./fleet-pass";
import type { ThisHost } from "./guest-host";
import { buildManifest, manifestMismatch, untarInto, type Manifest } from "./guest-files";
import type { HostRelay } from "./host-relay";
import { adoptMovedLayer } from "../lxc/layer-move";
import { digestFiles, type FileDigests } from "./file-digests";

const log = logger("hosts");
const run = promisify(execFile);
const INCOMING = ".incoming-";
const MiB = 2 ** 20;
/** What a guest needs free beyond its files to start (guests/start-checks.ts asks for as much). */
const ROOM_MIB = 64;
const DISCARDED = ".discard-";

/** What of this host's context guests a moved one needs: whether they run here, and a uid range. */
export interface ContextHost {
  unavailableReason(): string | null;
  allocateRange(dirName: string): Promise<number>;
}

export interface ReceiveDeps {
  contexts: ContextHost;
  config: Config;
  db: Db;
  store: GuestStore;
  relay: HostRelay;
  here: ThisHost;
}

const guestsDir = (config: Config) => path.join(config.dataDir, "guests");

/**
 * Pulls guest `id`'s files from host `fromHostId` (the one that runs it, and asked) as `actor`,
 * checks them against `manifest` and puts them in place. Returns the files and bytes received,
 * and the digests of the copy as it arrived (the sender drops it when they differ from its own).
 */
export async function receiveGuest(
  deps: ReceiveDeps,
  id: string,
  fromHostId: string,
  actor: FleetActor,
  manifest: Manifest,
): Promise<{ files: number; bytes: number; digests: FileDigests }> {
  const { config, db, store, relay, here } = deps;
  const guest = await db.guest.findUnique({ where: { id }, select: { hostId: true, kind: true } });
  if (!guest) throw notFound(NO_SUCH_GUEST);
  if (guest.hostId !== fromHostId)
    throw conflict(`Host ${here.name} was asked for this guest by a host that does not run it; nothing was copied.`);
  const noContexts = guest.kind === "context" && deps.contexts.unavailableReason();
  if (noContexts) throw conflict(`Host ${here.name} cannot run context guests: ${noContexts}`);
  const dest = guestPaths(config.dataDir, config.runDir, id).dir;
  if (await exists(dest))
    throw conflict(
      `Host ${here.name} already has files for this guest (${dest}), left from before. ` +
        `An admin must look at them and remove them there before the guest can move to ${here.name}.`,
    );
  const free = await dataDirFreeMiB(config.dataDir);
  const need = Math.ceil(manifest.allocated / MiB) + ROOM_MIB;
  if (free < need)
    throw insufficient(
      `Host ${here.name} has ${free} MiB free in its data directory; the guest's files take ${need - ROOM_MIB} MiB ` +
        `and a guest needs ${ROOM_MIB} MiB more to start. Free space there, or choose another host.`,
    );
  const tmp = path.join(guestsDir(config), `${INCOMING}${id}`);
  let digests: FileDigests;
  await fs.promises.rm(tmp, { recursive: true, force: true });
  await fs.promises.mkdir(tmp, { recursive: true, mode: 0o700 });
  try {
    const res = await relay.send(fromHostId, actor, {
      method: "GET",
      path: `/api/fleet/guests/${encodeURIComponent(id)}/files`,
      lead: `Host ${here.name} was pulling the guest's files`,
    });
    if (!res.ok || !res.body) throw unavailable(`The sending host refused to send them: ${await refusalOf(res)}`);
    await untarInto(tmp, Readable.fromWeb(res.body as WebReadableStream<Uint8Array>));
    const got = await buildManifest(tmp);
    const mismatch = manifestMismatch(manifest, got);
    if (mismatch) throw conflict(`The copy on host ${here.name} does not match the original: ${mismatch}.`);
    digests = await digestFiles(
      tmp,
      manifest.files.map((f) => f.path),
    );
    if (guest.kind === "context")
      await adoptMovedLayer(tmp, () => deps.contexts.allocateRange(path.basename(tmp))).catch((err: Error) => {
        throw conflict(`Host ${here.name} could not give the guest's files its own ids: ${err.message}`);
      });
    await fs.promises.rename(tmp, dest);
    // Hazard: the sender removes the only other copy once this answers; a power cut here
    // before the page cache reached the disk would lose the guest. One syncfs (`sync -f`) of
    // the data directory's file system flushes the files and the rename at once.
    await run("sync", ["-f", dest]);
  } catch (err) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    log.warn("guest files not received", { guest: id, err: (err as Error).message });
    throw err;
  }
  // It may have left this host before: it is this host's to act on again once it is moved.
  store.markAway(id, null);
  const bytes = manifest.files.reduce((n, f) => n + f.size, 0);
  log.info("guest files received", { guest: id, files: manifest.files.length, bytes });
  return { files: manifest.files.length, bytes, digests };
}

/**
 * Removes a copy received for guest `id` that never became the guest's (the sender could not
 * finish the move): only while the shared database says another host runs it.
 */
export async function discardReceived(deps: Pick<ReceiveDeps, "config" | "db" | "here">, id: string): Promise<boolean> {
  const { config, db, here } = deps;
  const guest = await db.guest.findUnique({ where: { id }, select: { hostId: true } });
  if (guest?.hostId === here.id)
    throw conflict(`This guest runs on host ${here.name}: its files stay. Delete the guest instead.`);
  const dir = guestPaths(config.dataDir, config.runDir, id).dir;
  if (!(await exists(dir))) return false;
  await removeDir(dir);
  return true;
}

/** Removes what receptions and removals cut short by a daemon's death left (at start, before any arrives). */
export async function discardIncoming(config: Config): Promise<void> {
  const names = await fs.promises.readdir(guestsDir(config)).catch(() => [] as string[]);
  for (const n of names.filter((n) => n.startsWith(INCOMING) || n.startsWith(DISCARDED)))
    await fs.promises.rm(path.join(guestsDir(config), n), { recursive: true, force: true });
}

/** Removes a guest directory: renamed aside first, so its name is gone at once whatever its size. */
export async function removeDir(dir: string): Promise<void> {
  const aside = path.join(path.dirname(dir), `${DISCARDED}${path.basename(dir)}-${process.pid}-${Date.now()}`);
  await fs.promises.rename(dir, aside);
  await fs.promises.rm(aside, { recursive: true, force: true });
}

const exists = (p: string) =>
  fs.promises.access(p).then(
    () => true,
    () => false,
  );

/** The message of another daemon's error answer. */
export async function refusalOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
  }
}
