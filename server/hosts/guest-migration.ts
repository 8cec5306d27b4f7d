// Cold migration, the sending end: the daemon that runs a stopped guest moves its directory
// (COW layer, snapshots, seed disk, boot logs) to another host; the guest's rows — id, boots,
// snapshots, audit trail — stay in the shared database, and only its `hostId` changes.
//
// Order, so a failure anywhere leaves the guest whole and startable here: checks; the guest
// marked away in its turn (guest-store.ts: nothing here starts, edits or deletes it now); the
// manifest; the target pulls the files (GET /api/fleet/guests/:id/files, served by serveFiles
// only for a guest being moved), checks them and renames them into place (guest-receive.ts),
// answering with their digests, which must be those this host computed meanwhile; then
// `hostId` flips, and only then this host's copy is removed. Before the flip, a failure
// unmarks the guest here and asks the target to drop any copy it kept.
import type { Readable } from "node:stream";
import type { GuestMigrationEvent, MigrationResult } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, CorralError, NO_SUCH_GUEST, notFound, unavailable } from "../errors";
import type { EventBus } from "../events";
import type { GuestStore } from "../guests/guest-store";
import { logger } from "../log";
import { guestPaths } from "../uml/paths";
import type { FleetActor } from "./fleet-pass";
import type { ThisHost } from "./guest-host";
import { digestFiles, digestMismatch, type FileDigests } from "./file-digests";
import { buildManifest, tarGuestFiles, type Manifest } from "./guest-files";
import type { HostRelay } from "./host-relay";
import { readPlacementHosts, type PlacementHost } from "./placement";
import { dropPackedLayer, packLayer, STAYS_BEHIND } from "../lxc/layer-move";
import { discardReceived, receiveGuest, refusalOf, removeDir, type ContextHost } from "./guest-receive";

const log = logger("hosts");
/** Progress events at most this often (they cross the fleet through PostgreSQL). */
const PROGRESS_MS = 250;

export interface MigrationDeps {
  contexts: ContextHost;
  config: Config;
  db: Db;
  store: GuestStore;
  relay: HostRelay;
  here: ThisHost;
  bus: EventBus;
}

interface Moving {
  manifest: Manifest;
  targetId: string;
  event: GuestMigrationEvent;
}

/**
 * Whether `host` has the guest's image file. The one place a migration asks (placement's
 * record of what each host lacked at its last heartbeat), so a new record of image copies
 * per host replaces only this.
 */
export function targetHasImage(host: PlacementHost, imageId: string): boolean {
  return !host.missingImageIds.includes(imageId);
}

/** Why `target` cannot take a guest (of `kind`) from this host now; null when it can. */
export function targetRefusal(
  target: PlacementHost | undefined,
  here: ThisHost,
  imageId: string,
  kind = "uml",
): string | null {
  if (!target) return "no host of the fleet has that id (the Hosts page lists them)";
  if (target.id === here.id) return `the guest is on host ${here.name} already`;
  if (!target.reachable) return `host ${target.name} is unreachable (its daemon has stopped reporting)`;
  if (target.maintenance) return `host ${target.name} is in maintenance: it takes no guests`;
  if (!targetHasImage(target, imageId)) return `host ${target.name} does not have this guest's image file`;
  if (kind === "context" && !target.contextGuests) return `host ${target.name} cannot run context guests`;
  return null;
}

export class GuestMigrations {
  private readonly moving = new Map<string, Moving>();

  constructor(private readonly deps: MigrationDeps) {}

  /** Moves stopped guest `id` (which this host runs) to host `hostId`, as `actor`. */
  async migrate(id: string, hostId: string, actor: FleetActor): Promise<MigrationResult> {
    const { config, db, store, relay, here } = this.deps;
    const t0 = performance.now();
    if (!relay.enabled)
      throw conflict(`Host ${here.name} has no CORRAL_FLEET_SECRET, so it cannot move guests to other hosts.`);
    const dir = guestPaths(config.dataDir, config.runDir, id).dir;
    const { guest, target, manifest } = await store.exclusive(id, async () => {
      const guest = await db.guest.findUnique({
        where: { id },
        select: { ownerId: true, kind: true, state: true, imageId: true, hostId: true },
      });
      if (!guest) throw notFound(NO_SUCH_GUEST);
      if (guest.state !== "stopped" && guest.state !== "crashed")
        throw conflict(`The guest is ${guest.state}. Stop it first: only a stopped guest moves to another host.`);
      const target = (await readPlacementHosts(db)).find((h) => h.id === hostId);
      const why = targetRefusal(target, here, guest.imageId, guest.kind);
      if (why) throw conflict(`The guest cannot move: ${why}. Choose another host.`);
      store.markAway(id, `The guest is moving to host ${target!.name}; try again once it has moved.`);
      try {
        // A context guest's layer travels as one archive (lxc/layer-move.ts).
        if (guest.kind !== "context") return { guest, target: target!, manifest: await buildManifest(dir) };
        await packLayer(dir);
        return { guest, target: target!, manifest: await buildManifest(dir, STAYS_BEHIND) };
      } catch (err) {
        await dropPackedLayer(dir);
        store.markAway(id, null);
        throw unavailable(`Could not read this guest's files on host ${here.name}: ${(err as Error).message}`);
      }
    });
    const bytes = manifest.files.reduce((n, f) => n + f.size, 0);
    // What the stream carries: the files' data, not their holes (tar --sparse).
    const bytesTotal = Math.max(manifest.allocated, 1);
    const event: GuestMigrationEvent = {
      id,
      ownerId: guest.ownerId,
      toHostName: target.name,
      phase: "copying",
      bytesDone: 0,
      bytesTotal,
    };
    this.moving.set(id, { manifest, targetId: target.id, event });
    this.announce(event);
    // This host digests its files while the target pulls them (the guest is away: they hold still).
    const own = digestFiles(
      dir,
      manifest.files.map((f) => f.path),
    );
    own.catch(() => {}); // awaited below, or moot once the move failed
    // Whether the target may hold a copy now: not once it refused (it removed what it got).
    let mayHoldCopy = true;
    try {
      const sent = await this.sendTo(target, id, actor, manifest);
      if ("refusal" in sent) {
        mayHoldCopy = false;
        throw conflict(
          `Host ${target.name} did not take the guest: ${sent.refusal} The guest stays on host ${here.name}.`,
        );
      }
      const mismatch = digestMismatch(await own, sent.digests);
      if (mismatch) throw conflict(`The copy on host ${target.name} does not match the original: ${mismatch}.`);
      const { count } = await db.guest.updateMany({ where: { id, hostId: here.id }, data: { hostId: target.id } });
      if (count !== 1) throw conflict("The guest changed hosts meanwhile; it was not moved.");
    } catch (err) {
      await dropPackedLayer(dir);
      store.markAway(id, null);
      this.moving.delete(id);
      if (mayHoldCopy) await this.discardOn(target, id, actor);
      const message = err instanceof CorralError ? err.message : `The move failed: ${(err as Error).message}`;
      this.announce({ ...event, phase: "failed", error: message });
      log.warn("guest not moved", { guest: id, to: target.name, err: message });
      const stays = message.includes("stays on host") ? message : `${message} The guest stays on host ${here.name}.`;
      throw new CorralError(err instanceof CorralError ? err.kind : "unavailable", stays);
    }
    store.markAway(id, `The guest has moved to host ${target.name}; act on it there.`);
    this.moving.delete(id);
    // The guest is the target's now: a copy left here (a failed removal) is only disk used.
    await removeDir(dir).catch((err) => log.warn("old guest files not removed", { dir, err: String(err) }));
    this.announce({ ...event, phase: "done", bytesDone: bytesTotal });
    await store.announce(await db.guest.findUniqueOrThrow({ where: { id } }));
    const result = {
      guestId: id,
      fromHostName: here.name,
      toHostName: target.name,
      files: manifest.files.length,
      bytes,
      ms: Math.round(performance.now() - t0),
    };
    log.info("guest moved", { ...result });
    return result;
  }

  /** The receiving end: pulls guest `id`'s files from host `fromHostId`, which is moving it here (guest-receive.ts). */
  receive(id: string, fromHostId: string, actor: FleetActor, manifest: Manifest) {
    return receiveGuest(this.deps, id, fromHostId, actor, manifest);
  }

  /** Drops a copy of guest `id` received here that never became the guest's. */
  discardReceived(id: string) {
    return discardReceived(this.deps, id);
  }

  /**
   * The files of guest `id`, for host `hostId`'s daemon, which this host is moving it to
   * (and only while it is: a guest not being moved is refused, so this serves no other).
   */
  serveFiles(id: string, hostId: string): Readable {
    const moving = this.moving.get(id);
    if (!moving || moving.targetId !== hostId)
      throw conflict("This guest is not being moved to that host; its files are sent only to the host it moves to.");
    const dir = guestPaths(this.deps.config.dataDir, this.deps.config.runDir, id).dir;
    let last = 0;
    return tarGuestFiles(dir, moving.manifest, (n) => {
      const { bytesDone, bytesTotal } = moving.event;
      moving.event = { ...moving.event, bytesDone: Math.min(bytesDone + n, bytesTotal) };
      if (Date.now() - last < PROGRESS_MS) return;
      last = Date.now();
      this.announce(moving.event);
    });
  }

  /** Has the target pull, check and place the files: the digests of its copy once it has, else its refusal. */
  private async sendTo(
    target: PlacementHost,
    id: string,
    actor: FleetActor,
    manifest: Manifest,
  ): Promise<{ refusal: string } | { digests: FileDigests }> {
    const res = await this.deps.relay.send(target.id, actor, {
      method: "POST",
      path: `/api/fleet/guests/${encodeURIComponent(id)}/receive`,
      lead: `The guest was being moved to host ${target.name}`,
      body: new Uint8Array(Buffer.from(JSON.stringify(manifest))),
      held: true,
    });
    if (!res.ok) return { refusal: await refusalOf(res) };
    const { digests } = (await res.json()) as { digests?: FileDigests };
    if (!digests) throw unavailable(`Host ${target.name} took the files but did not say what it got.`);
    return { digests };
  }

  /** Asks the target to drop a copy it may have kept; a target that cannot answer removes its partial copy at its next start. */
  private async discardOn(target: PlacementHost, id: string, actor: FleetActor): Promise<void> {
    try {
      const res = await this.deps.relay.send(target.id, actor, {
        method: "DELETE",
        path: `/api/fleet/guests/${encodeURIComponent(id)}/files`,
        lead: `The guest could not move to host ${target.name}`,
      });
      await res.body?.cancel();
    } catch (err) {
      log.warn("could not ask the target to drop its copy", { guest: id, to: target.name, err: String(err) });
    }
  }

  private announce(event: GuestMigrationEvent): void {
    this.deps.bus.emit("guest:migration", event);
  }
}
