import type { Guest } from "../../generated/prisma/client";
import type { PowerAction, GuestView } from "../../lib/shared/protocol";
import { parseGuestState } from "../../lib/shared/stored";
import { markLogsPruned } from "../boots/boot-records";
import type { Config } from "../config";
import type { ConsoleHub } from "../consoles/console-hub";
import type { Db } from "../db";
import type { GuestDriver } from "../drivers/guest-driver";
import type { EventBus } from "../events";
import { conflict, NO_SUCH_GUEST, notFound } from "../errors";
import type { KeeperClient } from "../keeper/keeper-client";
import type { GuestStatus } from "../keeper/protocol";
import { logger } from "../log";
import type { BridgeNetwork } from "../network/bridge";
import { killGroup } from "../uml/kernel-process";
import { BootAdmission } from "./boot-admission";
import type { GuestCatalog } from "./guest-catalog";
import type { GuestPlace, ThisHost } from "../hosts/guest-host";
import { recordAdmittedBoot, recordFailedSpawn } from "./boot-events";
import { GuestRunner } from "./guest-runner";
import type { GuestStore } from "./guest-store";
import { toLaunchGuest } from "./launch-guest";
import { AcceptedStarts, readForStart, StartReads } from "./accepted-starts";
import { checkStartable } from "./start-checks";
import { guestIsLive, nextGuestState } from "./state-machine";

const log = logger("guests");
const START = { type: "start" } as const;

export interface LifecycleDeps {
  config: Config;
  db: Db;
  bus: EventBus;
  store: GuestStore;
  consoles: ConsoleHub;
  keeper: KeeperClient;
  catalog: GuestCatalog;
  bridge: BridgeNetwork | null;
  driver: GuestDriver;
  /** This daemon's host: it adopts and queues only its own guests. */
  here: ThisHost;
}

/**
 * Starting, stopping, forcing off and rebooting guests, and the runners of the guests that
 * live. Each action is one transition in the guest's turn: read once, decide, check, write,
 * announce. Every check that can refuse runs before anything is written, so a refused
 * request changes nothing.
 */
export class GuestLifecycle {
  readonly runners = new Map<string, GuestRunner>();
  private readonly accepted = new AcceptedStarts();
  private readonly startReads: StartReads;
  private keeperUp = true;
  private readonly admission: BootAdmission;

  constructor(private readonly deps: LifecycleDeps) {
    const { keeper, db } = deps;
    this.startReads = new StartReads(db, deps.store);
    this.admission = new BootAdmission(deps.config.bootAdmission, deps.bus, (id) => this.boot(id));
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

  private newRunner(guest: { id: string; name: string }): GuestRunner {
    const { config, db, store, consoles, keeper, driver } = this.deps;
    const runner = new GuestRunner(guest, { config, db, store, consoles, keeper, driver });
    this.runners.set(guest.id, runner);
    runner.once("ended", () => {
      if (this.runners.get(guest.id) === runner) this.runners.delete(guest.id);
      const cleanStop = runner.outcome === "rebooted" || runner.outcome === "killed";
      if (runner.restartAfterExit && cleanStop) {
        this.start(guest.id).catch((err) =>
          log.error("restart after reboot failed", { guest: guest.name, err: String(err) }),
        );
      }
    });
    return runner;
  }

  /** Re-attaches the guests the keeper kept running while no daemon was attached. */
  async adopt(statuses: GuestStatus[]): Promise<void> {
    for (const status of statuses) {
      const guest = await this.deps.db.guest.findUnique({ where: { id: status.guestId } });
      if (!guest) {
        log.warn("the keeper runs a kernel for a deleted guest; killing it", { id: status.guestId });
        await this.deps.keeper.kill(status.guestId).catch(() => {});
        continue;
      }
      this.newRunner(guest).adopt(status, guest.state === "stopping");
      if (guest.state === "booting") this.admission.occupy(guest.id);
    }
    // Starts accepted before the daemon stopped still boot, in the order they were made.
    const queued = await this.deps.db.guest.findMany({
      where: { state: "queued", hostId: this.deps.here.id },
      orderBy: { updatedAt: "asc" },
    });
    for (const guest of queued) this.admission.enqueue(guest.id);
  }

  /**
   * The keeper died under us. Its guests lost their consoles for good, so they are killed
   * (a guest nobody can reach is worse than a stopped one) and recorded as crashed.
   */
  private async keeperLost(): Promise<void> {
    this.keeperUp = false;
    const reason = "The console keeper stopped unexpectedly, so this guest lost its console and was stopped.";
    await Promise.all([...this.runners.values()].map((r) => r.lost(reason)));
    for (const { pid } of this.deps.driver.findRunning()) killGroup(pid, "SIGKILL");
  }

  private async ensureKeeper(): Promise<void> {
    if (this.keeperUp) return;
    await this.deps.keeper.connect();
    await this.deps.keeper.request("replay", {});
    this.keeperUp = true;
  }

  /**
   * The guest as a start route's authorization reads it (its place for the checks and all a
   * start needs): passed back to act(), the start reads it no second time.
   */
  readForStart(id: string): Promise<GuestPlace | null> {
    return this.startReads.read(id);
  }

  /** `read`: what the route's authorization read of the guest, if it is readForStart's. */
  async act(id: string, action: PowerAction, read?: GuestPlace): Promise<GuestView> {
    if (action === "start") return this.start(id, read);
    if (action === "stop") await this.stop(id, "Stop requested.");
    else if (action === "force-off") await this.forceOff(id);
    else await this.reboot(id);
    return this.deps.catalog.get(id);
  }

  /**
   * Accepts a start: the guest is queued to boot when the host has room
   * (server/guests/boot-admission.ts). Only what the request itself may be refused for is
   * decided here (the person, the guest's state); everything about the host — the image, the
   * disk layer, quota, free space, ports — is checked in the admitted boot, whose failure
   * the guest's state, reason and boot history then say. In a storm each of those checks
   * waits behind every booting guest's file work (the thread pool), which made answers slow.
   */
  private async start(id: string, read?: GuestPlace): Promise<GuestView> {
    const { db, store, catalog } = this.deps;
    const asRead = this.startReads.usable(id, read);
    // One read serves the decision, the event and the answer; the boot reuses it (see boot()).
    const view = await store.exclusive(id, async () => {
      let guest = asRead;
      let written = guest && (await store.transitionIfUnchanged(guest, START, { boot: guest.boots[0] ?? null }));
      if (!guest || !written) {
        guest = await readForStart(db, id);
        if (!guest) throw notFound(NO_SUCH_GUEST);
        written = await store.transition(guest, START, { boot: guest.boots[0] ?? null });
      }
      this.accepted.remember(id, { row: { ...guest, ...written }, nextBoot: (guest.boots[0]?.number ?? 0) + 1 });
      return catalog.view({ ...guest, ...written });
    });
    this.admission.enqueue(id);
    return view;
  }

  /**
   * Boots a queued guest, in its turn; false if it is not queued any more (stopped meanwhile).
   * The boot is recorded first, so that a check that fails ends it as failed, with its reason.
   */
  private boot(id: string): Promise<boolean> {
    const { db, store, consoles, driver } = this.deps;
    return store.exclusive(id, async () => {
      const accepted = await this.accepted.take(db, id);
      if (!accepted) return false;
      const boot = { number: accepted.nextBoot, startedAt: new Date() };
      // Recorded with the state, so the "booting" event already carries this boot.
      const admitted = await recordAdmittedBoot({ db, store }, id, boot);
      if (!admitted) return false;
      const written = admitted.guest;
      const row = { ...accepted.row, ...written };
      const launch = toLaunchGuest(row);
      const runner = this.newRunner(row);
      try {
        await checkStartable(this.deps, row);
        await driver.checkStart(launch);
        await this.ensureKeeper();
        const size = consoles.size(id);
        const spawn = await driver.prepareLaunch(launch, {
          number: boot.number,
          startedAt: boot.startedAt.getTime(),
          ...size,
        });
        await runner.start(spawn);
      } catch (err) {
        this.runners.delete(id);
        const reason = `The guest could not be started: ${(err as Error).message}`;
        log.error("start failed", { guest: row.name, err: String(err) });
        await recordFailedSpawn(this.deps, written, boot.number, reason);
        return true;
      }
      await db.guest.update({ where: { id }, data: { pid: runner.pid } });
      return true;
    });
  }

  private stop(id: string, reason: string, then: (r: GuestRunner) => void = (r) => void r.requestStop()) {
    const { store } = this.deps;
    return store.exclusive(id, async () => {
      const guest = await store.read(id);
      if (guest.state === "queued") return this.unqueue(guest, "Stopped before it booted.");
      let runner: GuestRunner | null = null;
      await store.transition(guest, { type: "stop" }, { reason, before: () => void (runner = this.runnerOf(id)) });
      then(runner!);
    });
  }

  private forceOff(id: string): Promise<void> {
    const { store } = this.deps;
    return store.exclusive(id, async () => {
      const guest = await store.read(id);
      if (guest.state === "queued") return this.unqueue(guest, "Forced off before it booted.");
      let runner: GuestRunner | null = null;
      await store.transition(
        guest,
        { type: "force-off" },
        { reason: "Force off requested.", before: () => void (runner = this.runnerOf(id)) },
      );
      runner!.restartAfterExit = false;
      await runner!.forceOff().catch((err) => log.warn("force off: keeper refused", { err: String(err) }));
    });
  }

  /** A clean reboot: the guest powers off, then a fresh one starts (a hardware reset would skip its shutdown). */
  private reboot(id: string): Promise<void> {
    const { store } = this.deps;
    return store.exclusive(id, async () => {
      const guest = await store.read(id);
      // Allowed where a reboot is; recorded as the stop it begins with.
      nextGuestState(parseGuestState(guest.state), { type: "reboot" });
      let runner: GuestRunner | null = null;
      await store.transition(
        guest,
        { type: "stop" },
        { reason: "Rebooting.", before: () => void (runner = this.runnerOf(id)) },
      );
      runner!.restartAfterExit = true;
      void runner!.requestStop();
    });
  }

  /** A queued guest stopped or forced off: it only leaves the queue (it has no process). */
  private async unqueue(guest: Guest, reason: string): Promise<void> {
    this.admission.withdraw(guest.id);
    this.accepted.forget(guest.id);
    await this.deps.store.transition(guest, { type: "stop" }, { reason });
  }

  /** Stops a live guest and resolves once it is gone (forced after the stop timeout). */
  async stopAndWait(id: string): Promise<void> {
    const state = parseGuestState((await this.deps.store.read(id)).state);
    if (state === "queued") return this.stop(id, "Stop requested.");
    if (!guestIsLive(state)) return;
    const runner = this.runnerOf(id);
    const ended = new Promise<void>((resolve) => runner.once("ended", () => resolve()));
    if (state !== "stopping") await this.stop(id, "Stop requested.");
    await ended;
  }

  private runnerOf(id: string): GuestRunner {
    const runner = this.runners.get(id);
    if (!runner) throw conflict("This guest has no running kernel on this host.");
    return runner;
  }

  /** For the daemon's exit: guests keep running under the keeper, to be adopted again. */
  detach(): void {
    this.deps.keeper.close();
  }
}
