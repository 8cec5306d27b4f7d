import fs from "node:fs";
import path from "node:path";
import {
  cloneGuestSchema,
  commitGuestSchema,
  resetGuestSchema,
  takeSnapshotSchema,
  type GuestView,
  type ImageView,
  type SnapshotView,
} from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, CorralError, notFound, parseInput, unavailable } from "../errors";
import type { GuestDriver } from "../drivers/guest-driver";
import type { GuestLifecycle } from "../guests/guest-lifecycle";
import type { GuestCatalog } from "../guests/guest-catalog";
import { listSnapshots } from "../../lib/server/reads/boots";
import type { Actor } from "../../lib/shared/permissions";
import { parseKernelArgs } from "../../lib/shared/stored";
import { checkQuota, guestDiskBytes, recordGuestDisk } from "../auth/quotas";
import type { GuestStore } from "../guests/guest-store";
import { toImageView } from "../../lib/shared/row-views";
import { localImagePath } from "../images/image-copies";
import { imagesDir, registerImage } from "../images/image-library";
import { logger } from "../log";
import { allocatedBytes } from "../storage/disk-files";
import { guestPaths } from "../uml/paths";
import { isPrismaError, UNIQUE_VIOLATION } from "../../lib/server/prisma-errors";

const log = logger("disks");

/**
 * A guest's disk: the pristine image below, its writable layer above (the driver's, e.g.
 * UML's COW file). Reset discards the layer, snapshots copy it, clone copies it into a new
 * guest, commit merges it into a new image.
 *
 * All of these need the guest stopped. A running guest's newest writes sit in its own page
 * cache, invisible to the host, and mconsole `stop` freezes the guest without flushing
 * them — a copy taken then would be at best what survives a power cut. A stopped guest has
 * unmounted its filesystem cleanly, so every copy is consistent.
 */
export class DiskService {
  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly store: GuestStore,
    private readonly guests: GuestLifecycle,
    private readonly catalog: GuestCatalog,
    private readonly driver: GuestDriver,
  ) {}

  private paths(id: string) {
    return guestPaths(this.config.dataDir, this.config.runDir, id);
  }

  /** Runs `fn` in the guest's turn, after checking it exists and is stopped. */
  private whileStopped<T>(
    id: string,
    what: string,
    fn: (guest: { id: string; name: string; kind: string; imageId: string; ownerId: string | null }) => Promise<T>,
  ) {
    return this.store.exclusive(id, async () => {
      const guest = await this.db.guest.findUnique({ where: { id } });
      if (!guest) throw notFound("No such guest. It may have been deleted.");
      if (guest.state !== "stopped" && guest.state !== "crashed") {
        throw conflict(`The guest is ${guest.state}. Stop it before ${what}.`);
      }
      return fn(guest);
    });
  }

  /**
   * Records the guests' disk now that it changed, for other hosts' quota checks (between
   * changes the heartbeat measures it only now and then: hosts/host-registry.ts).
   */
  private recordDisk(...ids: string[]): Promise<unknown> {
    return recordGuestDisk(this.config, this.db, ids);
  }

  /** Back to the image as it was: the guest's changes are discarded, its history kept. */
  async reset(id: string, body: unknown): Promise<{ guest: GuestView; discardedBytes: number; ms: number }> {
    const { stopFirst } = parseInput(resetGuestSchema, body);
    if (stopFirst) await this.guests.stopAndWait(id);
    const t0 = performance.now();
    const discardedBytes = await this.whileStopped(id, "resetting it", async (g) => {
      const bytes = await this.driver.disk.discard(id);
      log.info("guest reset to pristine", { guest: g.name, discardedBytes: bytes });
      return bytes;
    });
    await this.recordDisk(id);
    return { guest: await this.catalog.get(id), discardedBytes, ms: performance.now() - t0 };
  }

  async listSnapshots(id: string): Promise<SnapshotView[]> {
    await this.catalog.get(id);
    return listSnapshots(this.db, id);
  }

  private snapshotFile(guestId: string, snapshotId: string): string {
    return path.join(this.paths(guestId).dir, "snapshots", `${snapshotId}.cow`);
  }

  async takeSnapshot(id: string, body: unknown): Promise<SnapshotView> {
    const { name } = parseInput(takeSnapshotSchema, body);
    return this.whileStopped(id, "taking a snapshot", (g) =>
      this.withDiskQuota(g.ownerId, async () => {
        if (await this.db.snapshot.findUnique({ where: { guestId_name: { guestId: id, name } } })) {
          throw conflict(`This guest already has a snapshot named "${name}".`);
        }
        await checkQuota(this.config, this.db, g.ownerId, {
          diskMiB: Math.ceil((await this.driver.disk.allocatedBytes(id)) / MiB),
        });
        // A guest that never booted has no layer: its snapshot is "pristine", no file.
        const row = await this.db.snapshot.create({ data: { guestId: id, name, sizeBytes: 0n } });
        try {
          const file = this.snapshotFile(id, row.id);
          if (await this.driver.disk.saveTo(id, file)) {
            const sizeBytes = BigInt(await allocatedBytes(file));
            await this.db.snapshot.update({ where: { id: row.id }, data: { sizeBytes } });
          }
        } catch (err) {
          await this.db.snapshot.delete({ where: { id: row.id } });
          throw unavailable(`Could not copy the guest's disk: ${(err as Error).message}`);
        }
        log.info("snapshot taken", { guest: g.name, snapshot: name });
        await this.recordDisk(id);
        return (await this.listSnapshots(id)).find((s) => s.id === row.id)!;
      }),
    );
  }

  private async snapshotOf(guestId: string, snapshotId: string) {
    const s = await this.db.snapshot.findUnique({ where: { id: snapshotId } });
    if (!s || s.guestId !== guestId) throw notFound("No such snapshot of this guest.");
    return s;
  }

  async revertSnapshot(id: string, snapshotId: string): Promise<GuestView> {
    await this.whileStopped(id, "reverting it to a snapshot", async (g) => {
      const snap = await this.snapshotOf(id, snapshotId);
      await this.driver.disk.restoreFrom(id, this.snapshotFile(id, snap.id));
      log.info("reverted to snapshot", { guest: g.name, snapshot: snap.name });
      await this.recordDisk(id);
    });
    return this.catalog.get(id);
  }

  async deleteSnapshot(id: string, snapshotId: string): Promise<void> {
    await this.store.exclusive(id, async () => {
      const snap = await this.snapshotOf(id, snapshotId);
      await this.db.snapshot.delete({ where: { id: snap.id } });
      await fs.promises.rm(this.snapshotFile(id, snap.id), { force: true });
      await this.recordDisk(id);
    });
  }

  /**
   * A new guest with the same image, size and arguments, starting from this one's disk. The
   * clone belongs to whoever makes it, and counts against their quota.
   */
  async clone(id: string, body: unknown, actor: Actor): Promise<GuestView> {
    const { name } = parseInput(cloneGuestSchema, body);
    return this.whileStopped(id, "cloning it", () =>
      this.withDiskQuota(actor.id, async () => {
        const src = await this.db.guest.findUniqueOrThrow({ where: { id } });
        await checkQuota(this.config, this.db, actor.id, {
          diskMiB: Math.ceil((await guestDiskBytes(this.config, id)) / MiB),
        });
        const copy = await this.catalog.create(
          {
            name,
            kind: src.kind,
            network: src.network,
            imageId: src.imageId,
            memoryMiB: src.memoryMiB,
            kernelArgs: parseKernelArgs(src.kernelArgs),
          },
          actor,
        );
        try {
          await this.driver.disk.cloneTo(id, copy.id);
        } catch (err) {
          await this.catalog.remove(copy.id);
          if (err instanceof CorralError) throw err;
          throw unavailable(`Could not copy the guest's disk: ${(err as Error).message}`);
        }
        log.info("guest cloned", { from: src.name, to: name });
        await this.recordDisk(copy.id);
        return this.catalog.get(copy.id);
      }),
    );
  }

  /**
   * Merges the guest's changes into a copy of its image and registers that as a new image.
   * A developer's commit is theirs: it counts against their disk quota — checked against
   * an upper bound of its size before anything is written — and they may delete it.
   * Admins' commits belong to no one.
   */
  async commit(id: string, body: unknown, actor: Actor): Promise<ImageView> {
    const { imageName } = parseInput(commitGuestSchema, body);
    const ownerId = actor.role === "developer" ? actor.id : null;
    return this.whileStopped(id, "committing its disk", (g) =>
      this.withDiskQuota(ownerId, async () => {
        if (await this.db.image.findUnique({ where: { name: imageName } })) {
          throw conflict(`An image named "${imageName}" already exists. Choose another name.`);
        }
        const base = await this.db.image.findUniqueOrThrow({ where: { id: g.imageId } });
        const basePath = await localImagePath(this.db, base, this.config.fleetHost.name);
        const dest = path.join(imagesDir(this.config.dataDir), `${imageName}.img`);
        if (await exists(dest))
          throw conflict(`A file for an image named "${imageName}" is already in the image folder.`);
        const bound = await mergedImageBound(basePath, await this.driver.disk.changedBytes(id));
        await checkQuota(this.config, this.db, ownerId, { diskMiB: Math.ceil(bound / MiB) });
        const partial = `${dest}.partial`;
        try {
          await this.driver.disk.mergeInto(id, basePath, partial);
          await fs.promises.chmod(partial, 0o444);
          await fs.promises.rename(partial, dest);
        } catch (err) {
          await fs.promises.rm(partial, { force: true });
          if (err instanceof CorralError) throw err;
          throw unavailable(`Could not write the new image: ${(err as Error).message}`);
        }
        try {
          const image = await registerImage(this.db, {
            name: imageName,
            path: dest,
            ownerId,
            hostName: this.config.fleetHost.name,
          });
          log.info("guest committed to a new image", { guest: g.name, image: imageName, owner: ownerId });
          return toImageView(image, 0);
        } catch (err) {
          await fs.promises.rm(dest, { force: true });
          if (isPrismaError(err, UNIQUE_VIOLATION)) throw conflict(`An image named "${imageName}" already exists.`);
          throw err;
        }
      }),
    );
  }

  /**
   * Runs a change that adds to `ownerId`'s disk use — its quota check and its writing —
   * one at a time per owner: two such changes checked against the same usage would
   * otherwise both pass the quota and together exceed it. Taken inside a guest's turn.
   */
  private withDiskQuota<T>(ownerId: string | null, fn: () => Promise<T>): Promise<T> {
    return ownerId ? this.store.exclusive(`disk-quota:${ownerId}`, fn) : fn();
  }
}

const MiB = 1024 * 1024;

const exists = (file: string) =>
  fs.promises.access(file).then(
    () => true,
    () => false,
  );

/**
 * The most disk a commit can take: the image's allocated bytes (its sparse copy holds no
 * more) plus every sector the guest changed, never more than the whole image.
 */
async function mergedImageBound(imagePath: string, changed: number): Promise<number> {
  const [base, st] = await Promise.all([allocatedBytes(imagePath), fs.promises.stat(imagePath)]);
  return Math.min(base + changed, Math.ceil(st.size / 4096) * 4096);
}
