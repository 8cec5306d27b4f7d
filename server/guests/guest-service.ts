import type { GuestAction, GuestNetwork, GuestState, GuestView } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { BridgeNetwork } from "../network/bridge";
import type { Db } from "../db";
import { conflict, insufficient, notFound, unavailable } from "../errors";
import type { EventBus } from "../events";
import { dataDirFreeMiB, hostCapacity } from "../host";
import { verifyImage } from "../images/image-library";
import { checkQuota } from "../auth/quotas";
import { checkCowFile } from "../disks/cow-file";

const MIN_DATA_FREE_MIB = 64;
import { logger } from "../log";
import { beginBoot, markLogsPruned, nextBootNumber } from "../boots/boot-records";
import type { ConsoleHub } from "../consoles/console-hub";
import { guestPaths } from "../uml/paths";
import { GuestRunner } from "./guest-runner";
import type { GuestCatalog } from "./guest-catalog";
import type { Guest, Image, PortForward } from "../../generated/prisma/client";
import { checkForwardsBindable } from "../network/forwards";
import type { KeeperClient } from "../keeper/keeper-client";
import type { GuestStatus } from "../keeper/protocol";
import type { GuestStore } from "./guest-store";
import { guestIsLive, nextGuestState } from "./state-machine";
import { killGroup } from "../uml/kernel-process";
import { findOwnKernels } from "./reconcile";

const log = logger("guests");

/**
 * Guest operations as the API offers them. Every check that can refuse a request runs
 * before anything is written, so a refused request changes nothing.
 */
export class GuestService {
  readonly runners = new Map<string, GuestRunner>();

  private keeperUp = true;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly store: GuestStore,
    private readonly consoles: ConsoleHub,
    private readonly bus: EventBus,
    private readonly keeper: KeeperClient,
    private readonly catalog: GuestCatalog,
    private readonly bridge: BridgeNetwork | null,
  ) {
    keeper.on("output", (id, _boot, data) => this.runners.get(id)?.output(data));
    keeper.on("event", (seq, id, event) => {
      const runner = this.runners.get(id);
      if (runner) runner.onEvent(seq, event);
      // Logs pruned for a boot that then failed to spawn: the files are gone all the same.
      else if (event.kind === "logs-pruned")
        void markLogsPruned(db, id, event.pruned, new Date(event.at))
          .catch(() => {}) // the guest was deleted: nothing to mark
          .then(() => keeper.ack(seq));
      else keeper.ack(seq); // a guest deleted or never adopted: nothing to record
    });
    keeper.on("hang", (id) => log.warn("guest reported a hang", { id }));
    keeper.on("lost", () => void this.keeperLost());
  }

  /** Re-attaches the kernels the keeper kept running while no daemon was attached. */
  async adopt(statuses: GuestStatus[]): Promise<void> {
    for (const status of statuses) {
      const guest = await this.db.guest.findUnique({
        where: { id: status.guestId },
        include: { image: true, forwards: true },
      });
      if (!guest) {
        log.warn("the keeper runs a kernel for a deleted guest; killing it", { id: status.guestId });
        await this.keeper.kill(status.guestId).catch(() => {});
        continue;
      }
      const runner = this.newRunner(guest);
      runner.adopt(status, guest.state === "stopping");
      this.track(guest.id, guest.name, runner);
    }
  }

  private newRunner(guest: Guest & { image: Image; forwards: PortForward[] }) {
    return new GuestRunner(
      {
        id: guest.id,
        name: guest.name,
        memoryMiB: guest.memoryMiB,
        kernelArgs: JSON.parse(guest.kernelArgs),
        imagePath: guest.image.path,
        network: guest.network as GuestNetwork,
        bridgeHost: guest.bridgeHost,
        forwards: guest.forwards.map((f) => ({
          protocol: f.protocol as "tcp" | "udp",
          hostPort: f.hostPort,
          guestPort: f.guestPort,
        })),
        rootPasswordHash: guest.rootPasswordHash,
        authorizedKeys: guest.authorizedKeys,
      },
      {
        config: this.config,
        db: this.db,
        store: this.store,
        console: this.consoles.get(guest.id),
        keeper: this.keeper,
      },
    );
  }

  private track(id: string, name: string, runner: GuestRunner): void {
    this.runners.set(id, runner);
    runner.once("ended", () => {
      if (this.runners.get(id) === runner) this.runners.delete(id);
      const cleanStop = runner.outcome === "rebooted" || runner.outcome === "killed";
      if (runner.restartAfterExit && cleanStop) {
        this.start(id).catch((err) => log.error("restart after reboot failed", { guest: name, err: String(err) }));
      }
    });
  }

  /**
   * The keeper died under us. Its kernels lost their consoles for good, so they are killed
   * (a guest nobody can reach is worse than a stopped one) and recorded as crashed.
   */
  private async keeperLost(): Promise<void> {
    this.keeperUp = false;
    const reason = "The console keeper stopped unexpectedly, so this guest lost its console and was stopped.";
    await Promise.all([...this.runners.values()].map((r) => r.lost(reason)));
    for (const { pid } of findOwnKernels(this.config.runDir)) killGroup(pid, "SIGKILL");
  }

  private async ensureKeeper(): Promise<void> {
    if (this.keeperUp) return;
    await this.keeper.connect();
    await this.keeper.request("replay", {});
    this.keeperUp = true;
  }

  get(id: string): Promise<GuestView> {
    return this.catalog.get(id);
  }

  async act(id: string, action: GuestAction): Promise<GuestView> {
    switch (action) {
      case "start":
        await this.start(id);
        break;
      case "stop":
        await this.stop(id);
        break;
      case "force-off":
        await this.forceOff(id);
        break;
      case "reboot":
        await this.reboot(id);
        break;
    }
    return this.get(id);
  }

  private start(id: string): Promise<void> {
    return this.store.exclusive(id, async () => {
      const guest = await this.db.guest.findUnique({ where: { id }, include: { image: true, forwards: true } });
      if (!guest) throw notFound("No such guest. It may have been deleted.");
      // Dry-run the transition first: a refused start must not touch anything.
      nextGuestState(guest.state as GuestState, { type: "start" });
      await verifyImage(this.db, guest.image);
      const cow = guestPaths(this.config.dataDir, this.config.runDir, id).cow;
      try {
        await checkCowFile(cow, guest.image.path);
      } catch (err) {
        // No COW file yet: the kernel makes it on the first boot.
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
          throw conflict(
            `This guest's disk (root.cow) cannot be used: ${(err as Error).message}. Reset it to pristine or revert to a snapshot.`,
          );
        }
      }
      // Disk is the one quota a running guest can grow by itself (its COW layer): checked here.
      await checkQuota(this.config, this.db, guest.ownerId, { diskMiB: 0 });
      const dataFree = await dataDirFreeMiB(this.config.dataDir);
      if (dataFree < MIN_DATA_FREE_MIB) {
        throw insufficient(
          `The data directory ${this.config.dataDir} has only ${dataFree} MiB free; a guest needs room for its disk ` +
            `changes and boot log. Free some space (delete snapshots or unused guests) and start it again.`,
        );
      }
      const free = (await hostCapacity(this.config.umlTmpDir)).ramBackingFreeMiB;
      if (guest.memoryMiB > free) {
        throw insufficient(
          `Not enough free space in ${this.config.umlTmpDir} to back ${guest.memoryMiB} MiB of guest memory ` +
            `(${free} MiB free). Stop another guest or lower this guest's memory.`,
        );
      }
      if (guest.network === "user") {
        const forwards = guest.forwards.map((f) => ({
          protocol: f.protocol as "tcp" | "udp",
          hostPort: f.hostPort,
          guestPort: f.guestPort,
        }));
        await checkForwardsBindable(this.config.forwardAddress, forwards);
      }
      if (guest.network === "bridge") {
        if (!this.bridge) {
          throw unavailable(
            "This guest is on the bridge, which is not enabled on this host now. Switch it to the user network, or ask an admin to enable the bridge (CORRAL_BRIDGE).",
          );
        }
        await this.bridge.sync();
      }
      const bootNumber = await nextBootNumber(this.db, id);
      // Recorded before the state changes, so the "booting" event already carries this boot.
      const startedAt = new Date();
      await beginBoot(this.db, id, bootNumber, startedAt);
      await this.store.apply(id, { type: "start" }, { reason: null });
      const runner = this.newRunner(guest);
      // Tracked before the spawn: the keeper's first events can arrive before it returns.
      this.track(id, guest.name, runner);
      try {
        await this.ensureKeeper();
        await runner.start(bootNumber, startedAt);
      } catch (err) {
        this.runners.delete(id);
        const reason = `The kernel could not be started: ${(err as Error).message}`;
        log.error("start failed", { guest: guest.name, err: String(err) });
        await this.db.boot.updateMany({
          where: { guestId: id, number: bootNumber, endedAt: null },
          data: { endedAt: new Date(), outcome: "failed", detail: reason },
        });
        await this.store.apply(id, { type: "exit", outcome: "failed" }, { reason, pid: null });
        throw unavailable(reason);
      }
      await this.db.guest.update({ where: { id }, data: { pid: runner.pid } });
    });
  }

  private stop(id: string): Promise<void> {
    return this.store.exclusive(id, async () => {
      nextGuestState(await this.store.state(id), { type: "stop" });
      const runner = this.runnerOf(id);
      await this.store.apply(id, { type: "stop" }, { reason: "Stop requested." });
      void runner.requestStop();
    });
  }

  private forceOff(id: string): Promise<void> {
    return this.store.exclusive(id, async () => {
      nextGuestState(await this.store.state(id), { type: "force-off" });
      const runner = this.runnerOf(id);
      await this.store.apply(id, { type: "force-off" }, { reason: "Force off requested." });
      runner.restartAfterExit = false;
      await runner.forceOff().catch((err) => log.warn("force off: keeper refused", { err: String(err) }));
    });
  }

  /**
   * A clean reboot: power off through Ctrl-Alt-Del, then start a fresh kernel. (mconsole's
   * own `reboot` is a hardware reset that skips the guest's shutdown.)
   */
  private reboot(id: string): Promise<void> {
    return this.store.exclusive(id, async () => {
      nextGuestState(await this.store.state(id), { type: "reboot" });
      const runner = this.runnerOf(id);
      await this.store.apply(id, { type: "stop" }, { reason: "Rebooting." });
      runner.restartAfterExit = true;
      void runner.requestStop();
    });
  }

  /** Stops a live guest and resolves once its kernel is gone (forced after the stop timeout). */
  async stopAndWait(id: string): Promise<void> {
    const state = await this.store.state(id);
    if (!guestIsLive(state)) return;
    const runner = this.runnerOf(id);
    const ended = new Promise<void>((resolve) => runner.once("ended", () => resolve()));
    if (state !== "stopping") await this.act(id, "stop");
    await ended;
  }

  private runnerOf(id: string): GuestRunner {
    const runner = this.runners.get(id);
    if (!runner) throw conflict("This guest has no running kernel on this host.");
    return runner;
  }

  /** For the daemon's exit: guests keep running under the keeper, to be adopted again. */
  detach(): void {
    this.keeper.close();
  }
}
