import type { PowerAction, GuestView } from "../../lib/shared/protocol";
import { parseGuestState } from "../../lib/shared/stored";
import { markLogsPruned } from "../boots/boot-records";
import type { Config } from "../config";
import type { ConsoleHub } from "../consoles/console-hub";
import type { Db } from "../db";
import type { GuestDriver } from "../drivers/guest-driver";
import type { EventBus } from "../events";
import { conflict } from "../errors";
import type { KeeperClient } from "../keeper/keeper-client";
import type { GuestStatus } from "../keeper/protocol";
import { logger } from "../log";
import type { BridgeNetwork } from "../network/bridge";
import { killGroup } from "../uml/kernel-process";
import type { GuestCatalog } from "./guest-catalog";
import type { GuestPlace, ThisHost } from "../hosts/guest-host";
import { GuestRunner } from "./guest-runner";
import { GuestStarts } from "./guest-starts";
import type { GuestStore } from "./guest-store";
import { guestIsLive, nextGuestState } from "./state-machine";

const log = logger("guests");
const STOPPED_QUEUED = "Stopped before it booted.";
const FORCED_OFF_QUEUED = "Forced off before it booted.";

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
  private keeperUp = true;
  private readonly starts: GuestStarts;

  constructor(private readonly deps: LifecycleDeps) {
    const { keeper, db } = deps;
    this.starts = new GuestStarts(deps, {
      add: (guest) => this.newRunner(guest),
      drop: (id) => this.runners.delete(id),
      ensureKeeper: () => this.ensureKeeper(),
    });
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
    keeper.on("output", (id, boot, data) => this.runners.get(id)?.output(boot, data));
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
        this.starts
          .start(guest.id)
          .catch((err) => log.error("restart after reboot failed", { guest: guest.name, err: String(err) }));
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
      if (guest.state === "booting") this.starts.admission.occupy(guest.id);
    }
    // Starts accepted before the daemon stopped still boot, in the order they were made.
    const queued = await this.deps.db.guest.findMany({
      where: { state: "queued", hostId: this.deps.here.id },
      orderBy: { updatedAt: "asc" },
    });
    for (const guest of queued) this.starts.admission.enqueue(guest.id);
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

  /** The guest as a start route's authorization reads it: see GuestStarts.readForStart. */
  readForStart(id: string): Promise<GuestPlace | null> {
    return this.starts.readForStart(id);
  }

  /** `read`: what the route's authorization read of the guest, if it is readForStart's. */
  async act(id: string, action: PowerAction, read?: GuestPlace): Promise<GuestView> {
    if (action === "start") return this.starts.start(id, read);
    // A queued guest is answered from its start's row when it can be (GuestStarts.unqueueAccepted).
    let view: GuestView | void = undefined;
    if (action === "stop") view = await this.stop(id, "Stop requested.");
    else if (action === "force-off") view = await this.forceOff(id);
    else await this.reboot(id);
    return view ?? this.deps.catalog.get(id);
  }

  private stop(
    id: string,
    reason: string,
    then: (r: GuestRunner) => void = (r) => void r.requestStop(),
  ): Promise<GuestView | void> {
    const { store } = this.deps;
    return store.exclusive(id, async () => {
      const unqueued = await this.starts.unqueueAccepted(id, STOPPED_QUEUED);
      if (unqueued) return unqueued;
      const guest = await store.read(id);
      if (guest.state === "queued") return this.starts.unqueue(guest, STOPPED_QUEUED);
      let runner: GuestRunner | null = null;
      await store.transition(guest, { type: "stop" }, { reason, before: () => void (runner = this.runnerOf(id)) });
      then(runner!);
    });
  }

  private forceOff(id: string): Promise<GuestView | void> {
    const { store } = this.deps;
    return store.exclusive(id, async () => {
      const unqueued = await this.starts.unqueueAccepted(id, FORCED_OFF_QUEUED);
      if (unqueued) return unqueued;
      const guest = await store.read(id);
      if (guest.state === "queued") return this.starts.unqueue(guest, FORCED_OFF_QUEUED);
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

  /** Stops a live guest and resolves once it is gone (forced after the stop timeout). */
  async stopAndWait(id: string): Promise<void> {
    const state = parseGuestState((await this.deps.store.read(id)).state);
    if (state === "queued") {
      await this.stop(id, "Stop requested.");
      return;
    }
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
