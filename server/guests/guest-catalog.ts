import fs from "node:fs";
import path from "node:path";
import { queryGuests, readGuest, type GuestReader } from "../../lib/server/reads/guests";
import type { Actor } from "../../lib/shared/permissions";
import {
  createGuestSchema,
  editGuestSchema,
  type GuestListQuery,
  type GuestPage,
  type GuestView,
} from "../../lib/shared/protocol";
import { parseGuestNetwork } from "../../lib/shared/stored";
import { DEFAULT_BRIDGE_CIDR } from "../../lib/shared/settings";
import { guestViewInclude, toGuestView, type GuestRow } from "../../lib/shared/row-views";
import { checkQuota } from "../auth/quotas";
import type { Config } from "../config";
import type { ConsoleHub } from "../consoles/console-hub";
import type { Db } from "../db";
import { conflict, invalid, NO_SUCH_GUEST, notFound, parseInput, unavailable } from "../errors";
import type { EventBus } from "../events";
import { hostCapacity } from "../host";
import { logger } from "../log";
import { guestPaths } from "../uml/paths";
import { contextPaths } from "../lxc/lxc-paths";
import { encrypt } from "unixcrypt";
import type { z } from "zod";
import { checkForwardsFree } from "../network/forwards";
import { allocateBridgeHost, checkNetworkChoice } from "../network/bridge-hosts";
import type { GuestStore } from "./guest-store";
import type { ThisHost } from "../hosts/guest-host";
import type { ImageCopier } from "../images/image-copier";
import { imageForGuest, waitingForImage } from "../images/image-for-guest";

const log = logger("guests");

/**
 * Guests as records: list (as each role may see them), create, edit, delete. Every check
 * that can refuse a request — schema, image, host capacity, name, quota — runs before
 * anything is written, so a refused request changes nothing. A new guest is created on this
 * host: which host that is was decided before (hosts/placement.ts).
 */
export class GuestCatalog {
  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly store: GuestStore,
    private readonly consoles: ConsoleHub,
    private readonly bus: EventBus,
    /** New guests belong to this daemon's host. */
    private readonly here: ThisHost,
    /** Why this host cannot run context guests (null: it can). */
    private readonly contextsUnavailable: () => string | null = () => null,
    /** Fetches a new guest's image from another host when this one lacks it (null: none can). */
    private readonly copier: Pick<ImageCopier, "start"> | null = null,
  ) {}

  /** Guests as the web reads them (lib/server/reads): this daemon's network settings, as the runner gives them to guests. */
  private get reader(): GuestReader {
    const network = {
      bridgeCidr: this.config.bridge?.cidr ?? DEFAULT_BRIDGE_CIDR,
      forwardAddress: this.config.forwardAddress,
    };
    return { db: this.db, network };
  }

  /** A page of the guests `actor` may see that `query` matches (lib/server/reads). */
  query(actor: Actor, query: GuestListQuery): Promise<GuestPage> {
    return queryGuests(this.reader, actor, query);
  }

  /** A guest row read with `guestViewInclude`, as people see it. */
  view(row: GuestRow): GuestView {
    return toGuestView(row, this.reader.network);
  }

  /** A guest the caller has authorized already (the route table has). */
  async get(id: string): Promise<GuestView> {
    const view = await readGuest(this.reader, id);
    if (!view) throw notFound(NO_SUCH_GUEST);
    return view;
  }

  private async checkHostMemory(memoryMiB: number): Promise<void> {
    const cap = await hostCapacity(this.config.umlTmpDir);
    if (memoryMiB > cap.guestMemoryMaxMiB) {
      throw invalid("Not enough host memory.", {
        memoryMiB: `This host can give one guest at most ${cap.guestMemoryMaxMiB} MiB.`,
      });
    }
  }

  /** What a context guest cannot have (yet): refused before anything is written. */
  private checkContextChoice(input: z.output<typeof createGuestSchema>): void {
    const reason = this.contextsUnavailable();
    if (reason) throw conflict(`This host cannot run context guests: ${reason}`);
    const fields: Record<string, string> = {};
    if (input.kernelArgs.length)
      fields.kernelArgs = "A context guest runs on the host's kernel: it takes no kernel arguments.";
    if (Object.keys(fields).length) throw invalid("Some choices do not apply to a context guest.", fields);
  }

  /** A new guest owned by `owner` (whose quota it counts against). */
  async create(body: unknown, owner: Actor): Promise<GuestView> {
    const input = parseInput(createGuestSchema, body);
    const image = await this.db.image.findUnique({ where: { id: input.imageId } });
    if (!image) throw invalid("Unknown image.", { imageId: "No image with this id; choose one from the list." });
    await this.checkHostMemory(input.memoryMiB);
    if (input.kind === "context") this.checkContextChoice(input);
    if (await this.db.guest.findUnique({ where: { name: input.name } })) {
      throw conflict(`A guest named "${input.name}" already exists. Choose another name.`);
    }
    await checkQuota(this.config, this.db, owner.id, { guests: 1, memoryMiB: input.memoryMiB });
    checkNetworkChoice(this.config, input.network, input.forwards);
    const forwards = input.network === "user" ? input.forwards : [];
    await checkForwardsFree(this.db, forwards);
    const bridgeHost = input.network === "bridge" ? await allocateBridgeHost(this.db) : null;
    // Images are listed fleet-wide but their files are each host's own: one not here is copied here.
    const awaitingImage = await imageForGuest(this.db, this.here, this.copier, image);
    const row = await this.db.guest.create({
      data: {
        name: input.name,
        ownerId: owner.id,
        imageId: image.id,
        memoryMiB: input.memoryMiB,
        kind: input.kind,
        hostId: this.here.id,
        kernelArgs: JSON.stringify(input.kernelArgs),
        network: input.network,
        bridgeHost,
        rootPasswordHash: input.rootPassword ? encrypt(input.rootPassword) : null,
        authorizedKeys: input.authorizedKeys?.trim() || null,
        forwards: { create: forwards },
        stateReason: awaitingImage ? waitingForImage(image.name, this.here.name) : null,
      },
      include: guestViewInclude,
    });
    // The COW file itself is created by the kernel on first boot: its header records the
    // image's size and mtime, and UML's own writer is the authority on that format.
    try {
      await fs.promises.mkdir(guestPaths(this.config.dataDir, this.config.runDir, row.id).bootsDir, {
        recursive: true,
      });
    } catch (err) {
      await this.db.guest.delete({ where: { id: row.id } });
      throw unavailable(`Could not create the guest's folder: ${(err as Error).message}`);
    }
    log.info("guest created", { guest: row.name, id: row.id });
    this.bus.emit("guest:created", { id: row.id, ownerId: row.ownerId });
    return toGuestView({ ...row, boots: [] }, this.reader.network); // a new guest has not booted
  }

  /** Changes a stopped guest's memory, network or port forwards. */
  async edit(id: string, body: unknown): Promise<GuestView> {
    const { memoryMiB, network, forwards } = parseInput(editGuestSchema, body);
    await this.store.exclusive(id, async () => {
      const guest = await this.db.guest.findUnique({ where: { id } });
      if (!guest) throw notFound(NO_SUCH_GUEST);
      if (guest.state !== "stopped" && guest.state !== "crashed") {
        throw conflict(`The guest is ${guest.state}. Stop it before changing its settings.`);
      }
      if (memoryMiB !== undefined) {
        await this.checkHostMemory(memoryMiB);
        if (memoryMiB > guest.memoryMiB) {
          await checkQuota(this.config, this.db, guest.ownerId, { memoryMiB: memoryMiB - guest.memoryMiB });
        }
      }
      const mode = network ?? parseGuestNetwork(guest.network);
      checkNetworkChoice(this.config, mode, forwards);
      const nextForwards = mode === "user" ? forwards : [];
      if (nextForwards) await checkForwardsFree(this.db, nextForwards, id);
      const bridgeHost = mode !== "bridge" ? null : (guest.bridgeHost ?? (await allocateBridgeHost(this.db)));
      const written = await this.db.guest.update({
        where: { id },
        data: {
          memoryMiB,
          network,
          bridgeHost,
          ...(nextForwards ? { forwards: { deleteMany: {}, create: nextForwards } } : {}),
        },
      });
      await this.store.announce(written);
    });
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const ownerId = await this.store.exclusive(id, async () => {
      const guest = await this.db.guest.findUnique({ where: { id } });
      if (!guest) throw notFound(NO_SUCH_GUEST);
      if (guest.state !== "stopped" && guest.state !== "crashed") {
        throw conflict(`The guest is ${guest.state}. Stop it before deleting it.`);
      }
      const dir = guestPaths(this.config.dataDir, this.config.runDir, id).dir;
      // Move the folder aside first: if the database refuses, it goes back untouched. Its
      // disks and logs can be gigabytes: they are removed off the event loop.
      const trash = path.join(this.config.dataDir, "guests", `.deleting-${id}`);
      const hadDir = await fs.promises.rename(dir, trash).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === "ENOENT") return false;
          throw err;
        },
      );
      try {
        await this.db.guest.delete({ where: { id } });
      } catch (err) {
        if (hadDir) await fs.promises.rename(trash, dir);
        throw err;
      }
      await fs.promises.rm(trash, { recursive: true, force: true });
      // A context guest's LXC folder (config, log): its layers went with the guest's folder.
      await fs.promises.rm(contextPaths(this.config.dataDir, id).lxcDir, { recursive: true, force: true });
      this.consoles.drop(id);
      log.info("guest deleted", { guest: guest.name, id });
      return guest.ownerId;
    });
    this.bus.emit("guest:deleted", { id, ownerId });
  }
}
