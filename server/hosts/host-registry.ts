// This daemon's host in the fleet's list: registered at start (one row per host name, so a
// restart updates it), and its `lastSeenAt` and free disk renewed by a heartbeat, which also
// forgets its image copies whose files are gone (images/image-copies.ts) and, every few beats,
// records what its guests take on disk for other hosts' quota checks (auth/quotas.ts).
// What it offers guests (memory, context guests, images) is what placement (placement.ts)
// goes by; whether it is in maintenance is an admin's to say, never the daemon's: a restart
// keeps it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config } from "../config";
import type { Db } from "../db";
import { recordGuestDisk } from "../auth/quotas";
import { dataDirFreeMiB } from "../host";
import { forgetVanishedCopies } from "../images/image-copies";
import { logger } from "../log";
import type { ThisHost } from "./guest-host";

const log = logger("hosts");

/**
 * The heartbeat measures its guests' disk (a readdir and stats per guest) on one beat in this
 * many — once a minute at the default 10 s — not on every beat: with many guests it is the
 * heartbeat's largest cost, and what it records is only what other hosts count in quotas.
 * Where a guest's disk changes at once (snapshot, revert, reset, clone: disks/disk-service.ts)
 * it is measured then, and a quota check on this host measures its own guests afresh.
 */
export const GUEST_DISK_EVERY_BEATS = 6;

export class HostRegistry {
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> = Promise.resolve();
  private here: ThisHost | null = null;
  private beats = 0;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly facts: { kernel: string; version: string },
  ) {}

  /** Writes this host's row (creating it, or taking over the one of its name). */
  async register(): Promise<ThisHost> {
    const now = new Date();
    const row = {
      address: this.config.fleetHost.address,
      cores: os.availableParallelism(),
      memoryMiB: Math.floor(os.totalmem() / 2 ** 20),
      guestMemoryMiB: this.config.guestMemoryMiB ?? Math.floor((os.totalmem() / 2 ** 20) * 0.75),
      diskFreeMiB: await dataDirFreeMiB(this.config.dataDir),
      kernel: this.facts.kernel,
      version: this.facts.version,
      startedAt: now,
      lastSeenAt: now,
      heartbeatSeconds: this.config.fleetHost.heartbeatMs / 1000,
    };
    const { id, name } = await this.db.host.upsert({
      where: { name: this.config.fleetHost.name },
      create: { name: this.config.fleetHost.name, ...row },
      update: row,
    });
    log.info("host registered", { name, address: row.address });
    this.here = { id, name };
    return this.here;
  }

  /** Records whether this host can run context guests (known once its drivers are up). */
  async offerContextGuests(able: boolean): Promise<void> {
    await this.db.host.update({ where: { name: this.config.fleetHost.name }, data: { contextGuests: able } });
  }

  /** Heartbeats until stop(); one that fails is logged and the next tries again. */
  start(): void {
    const beat = () => {
      this.beating = this.heartbeat()
        .catch((err) => log.warn("heartbeat failed", { err: err instanceof Error ? err.message : String(err) }))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(beat, this.config.fleetHost.heartbeatMs).unref();
        });
    };
    this.timer = setTimeout(beat, this.config.fleetHost.heartbeatMs).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.beating;
  }

  private async heartbeat(): Promise<void> {
    const diskFreeMiB = await dataDirFreeMiB(this.config.dataDir);
    if (this.here && this.beats++ % GUEST_DISK_EVERY_BEATS === 0) {
      const mine = await this.db.guest.findMany({ where: { hostId: this.here.id }, select: { id: true } });
      await recordGuestDisk(
        this.config,
        this.db,
        mine.map((g) => g.id),
      );
    }
    if (this.here) await forgetVanishedCopies(this.db, this.here);
    await this.db.host.update({
      where: { name: this.config.fleetHost.name },
      data: { lastSeenAt: new Date(), diskFreeMiB },
    });
  }
}

/** Corral's version, from package.json. */
export async function corralVersion(projectRoot: string): Promise<string> {
  return String(JSON.parse(await fs.promises.readFile(path.join(projectRoot, "package.json"), "utf8")).version);
}
