import fs from "node:fs";
import path from "node:path";
import { guestAddressing } from "../../lib/shared/network";
import { DEFAULT_BRIDGE_CIDR } from "../../lib/shared/settings";
import type { Config } from "../config";
import type { BootStart, DiskLayer, GuestDriver, LaunchGuest } from "../drivers/guest-driver";
import { conflict, insufficient } from "../errors";
import { hostCapacity } from "../host";
import { KernelMetrics } from "../metrics/kernel-metrics";
import type { SpawnRequest } from "../keeper/protocol";
import { allocatedBytes, copySparse, discard } from "../storage/disk-files";
import { checkCowFile, cowChangedBytes, isUnfinishedCow, mergeCow, rebaseCowFile } from "./cow-file";
import { findKernels } from "./kernel-process";
import { planLaunch } from "./launch-plan";
import { mconsoleRequest } from "./mconsole";
import { guestPaths } from "./paths";
import { writeSeedDisk } from "./seed-disk";
import { logger } from "../log";

const log = logger("uml");

/**
 * User-Mode Linux guests: a kernel per guest, run as an ordinary process on a pseudo-terminal
 * the keeper holds, booting over `<guest>/root.cow` layered on the image, controlled through
 * its mconsole socket.
 */
export class UmlDriver implements GuestDriver {
  readonly kind = "uml";
  readonly metrics: KernelMetrics;

  constructor(private readonly config: Config) {
    this.metrics = new KernelMetrics(config);
  }

  private paths(guestId: string) {
    return guestPaths(this.config.dataDir, this.config.runDir, guestId);
  }

  async checkStart(guest: LaunchGuest): Promise<void> {
    try {
      await this.disk.check(guest.id, guest.imagePath);
    } catch (err) {
      throw conflict(
        `This guest's disk (root.cow) cannot be used: ${(err as Error).message}. Reset it to pristine or revert to a snapshot.`,
      );
    }
    const free = (await hostCapacity(this.config.umlTmpDir)).ramBackingFreeMiB;
    if (guest.memoryMiB > free) {
      throw insufficient(
        `Not enough free space in ${this.config.umlTmpDir} to back ${guest.memoryMiB} MiB of guest memory ` +
          `(${free} MiB free). Stop another guest or lower this guest's memory.`,
      );
    }
  }

  async prepareLaunch(g: LaunchGuest, boot: BootStart): Promise<SpawnRequest> {
    const { config } = this;
    const paths = this.paths(g.id);
    await fs.promises.mkdir(paths.bootsDir, { recursive: true });
    const seedPath = path.join(paths.dir, "seed.img");
    await writeSeedDisk(seedPath, {
      hostname: g.name,
      network: guestAddressing(g.network, g.bridgeHost, config.bridge?.cidr ?? DEFAULT_BRIDGE_CIDR),
      rootPasswordHash: g.rootPasswordHash,
      authorizedKeys: g.authorizedKeys,
    });
    return {
      guestId: g.id,
      guestName: g.name,
      bootNumber: boot.number,
      startedAt: boot.startedAt,
      ...planLaunch(config, g, paths, seedPath),
      cwd: paths.dir,
      tmpDir: config.umlTmpDir,
      cols: boot.cols,
      rows: boot.rows,
      bootsDir: paths.bootsDir,
      logLimits: config.bootLogs,
      notifySocket: paths.notifySocket,
    };
  }

  /** Ctrl-Alt-Del: the guest's init powers off (mconsole's own `halt` would skip its shutdown). */
  async requestPowerOff(guestId: string): Promise<void> {
    await mconsoleRequest(this.paths(guestId).mconsoleSocket, "cad", { runDir: this.config.runDir });
  }

  findRunning(): Array<{ guestId: string | null; pid: number }> {
    return findKernels(this.config.runDir).map((k) => ({ pid: k.pid, guestId: k.umid }));
  }

  /** The copy-on-write file the kernel creates on first boot; absent means pristine. */
  readonly disk: DiskLayer = {
    check: async (guestId, imagePath) => {
      const cow = this.paths(guestId).cow;
      try {
        if (await isUnfinishedCow(cow)) {
          await fs.promises.rm(cow);
          log.warn("disk layer left unfinished by a kernel stopped as it made it; made again", { guestId });
        }
        // The image copy was verified as the guest's own image before this (guests/start-checks.ts).
        if (await rebaseCowFile(cow, imagePath))
          log.info("disk layer rebased onto this host's image", { guestId, imagePath });
        await checkCowFile(cow, imagePath);
      } catch (err) {
        // No COW file yet: the kernel makes it on the first boot.
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    },
    allocatedBytes: (guestId) => allocatedBytes(this.paths(guestId).cow),
    changedBytes: async (guestId) => {
      const cow = this.paths(guestId).cow;
      return (await exists(cow)) ? cowChangedBytes(cow) : 0;
    },
    discard: async (guestId) => {
      const cow = this.paths(guestId).cow;
      const bytes = await allocatedBytes(cow);
      await discard(cow);
      return bytes;
    },
    saveTo: async (guestId, file) => {
      const cow = this.paths(guestId).cow;
      if (!(await exists(cow))) return false;
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await copySparse(cow, file);
      return true;
    },
    restoreFrom: async (guestId, file) => {
      if (file && (await exists(file))) await copySparse(file, this.paths(guestId).cow);
      else await discard(this.paths(guestId).cow);
    },
    cloneTo: async (guestId, otherId) => {
      const cow = this.paths(guestId).cow;
      if (await exists(cow)) await copySparse(cow, this.paths(otherId).cow);
    },
    mergeInto: async (guestId, imagePath, dest) => {
      const cow = this.paths(guestId).cow;
      if (await exists(cow)) await mergeCow(cow, imagePath, dest);
      else await copySparse(imagePath, dest);
    },
  };
}

const exists = (file: string) =>
  fs.promises.access(file).then(
    () => true,
    () => false,
  );
