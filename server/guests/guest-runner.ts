import { EventEmitter } from "node:events";
import type { BootOutcome } from "../../lib/shared/protocol";
import { markFirstOutput, markLogsPruned, markLogTruncated } from "../boots/boot-records";
import { castFileOutputBytes } from "../boots/asciicast";
import { BootAnalyst } from "../boots/boot-analyst";
import type { Config } from "../config";
import type { ConsoleHub } from "../consoles/console-hub";
import type { Db } from "../db";
import type { GuestDriver } from "../drivers/guest-driver";
import { CorralError } from "../errors";
import type { KeeperClient } from "../keeper/keeper-client";
import type { GuestStatus, LifecycleEvent, SpawnRequest } from "../keeper/protocol";
import { logger } from "../log";
import { bootLogPath, guestPaths } from "../uml/paths";
import { recordExit, recordNotice, recordReady, recordReboot, type Recorder } from "./boot-events";
import { BootDeadline } from "./boot-deadline";
import { classifyExit, type KillReason } from "./exit-outcome";
import type { GuestStore } from "./guest-store";

const log = logger("runner");

export interface RunnerDeps {
  config: Config;
  db: Db;
  store: GuestStore;
  consoles: ConsoleHub;
  keeper: KeeperClient;
  driver: GuestDriver;
}

/**
 * The daemon's side of one live guest. Its process, console and logs are held by the
 * console keeper; this owns the policies — boot deadline, graceful stop, force off, restart
 * after a reboot — and has the keeper's lifecycle events recorded (boot-events.ts). Emits
 * `ended` once the guest is gone and recorded.
 *
 * Each keeper event is acknowledged only after it is written to the database, in order:
 * a daemon killed halfway is replayed the rest on its next start.
 */
export class GuestRunner extends EventEmitter<{ ended: [] }> {
  pid: number | null = null;
  private bootNumber = 0;
  private ready = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly deadline: BootDeadline;
  /** Set by a stop: the power-off then goes to each boot once it is ready (requestStop). */
  private stopTimer: NodeJS.Timeout | null = null;
  private stopAsk: NodeJS.Timeout | null = null;
  private killReason: KillReason | null = null;
  /** Set by a reboot request: the lifecycle starts the guest again once this one is gone. */
  restartAfterExit = false;
  outcome: BootOutcome | null = null;
  private done = false;
  private readonly recorder: Recorder;
  /** Hears the console's output too: lines soon after readiness have the boot analysed again. */
  readonly analyst: BootAnalyst;

  constructor(
    private readonly guest: { id: string; name: string },
    private readonly deps: RunnerDeps,
  ) {
    super();
    this.analyst = new BootAnalyst(deps.config, deps.db, deps.store, guest.id);
    this.recorder = { db: deps.db, store: deps.store, guestId: guest.id, analyst: this.analyst };
    const { bootTimeoutMs: silenceMs, bootLimitMs: limitMs } = deps.config;
    this.deadline = new BootDeadline({ silenceMs, limitMs }, (miss) => {
      if (this.ready || this.done) return;
      log.warn("guest missed its boot deadline", { guest: this.guest.name, miss });
      this.kill(miss === "silent" ? "boot-silent" : "boot-timeout");
    });
  }

  /** Has the keeper run `spawn`. The guest must be `booting` with its boot recorded. */
  async start(spawn: SpawnRequest): Promise<void> {
    this.bootNumber = spawn.bootNumber;
    this.pid = await this.deps.keeper.spawnKernel(spawn);
    this.deps.consoles.started(this.guest.id, spawn.bootNumber, { cols: spawn.cols, rows: spawn.rows });
    this.deadline.arm(spawn.startedAt);
    log.info("guest started", { guest: this.guest.name, pid: this.pid, boot: spawn.bootNumber });
  }

  /** Takes over a guest the keeper kept running while no daemon was attached (its console is already seeded). */
  adopt(status: GuestStatus, stateIsStopping: boolean): void {
    this.pid = status.pid;
    this.bootNumber = status.bootNumber;
    this.ready = status.ready;
    if (!status.ready) this.deadline.arm(status.bootStartedAt);
    if (stateIsStopping) void this.requestStop();
    log.info("guest adopted", {
      guest: this.guest.name,
      pid: status.pid,
      boot: status.bootNumber,
      ready: status.ready,
    });
  }

  private enqueue(what: string, fn: () => Promise<unknown>): Promise<void> {
    const next: Promise<void> = this.queue
      .then(async () => void (await fn()))
      .catch((err) => {
        if (err instanceof CorralError && err.kind === "conflict") return; // replayed: already applied
        log.error(`${what} failed`, { guest: this.guest.name, err: String(err) });
      });
    this.queue = next;
    return next;
  }

  /** A chunk of the guest's console output, as the keeper relays it. */
  output(boot: number, data: string): void {
    if (boot === this.bootNumber && !this.ready) this.deadline.heard();
    this.analyst.output(boot, data);
  }

  private kill(reason: KillReason): void {
    this.killReason ??= reason;
    void this.end().catch(() => {});
  }

  /** Through the engine when the driver can (it cleans up after itself), else the keeper kills the process. */
  private async end(): Promise<unknown> {
    const { driver, keeper } = this.deps;
    if (driver.forceOff) {
      try {
        if (await driver.forceOff(this.guest.id)) return;
      } catch (err) {
        log.warn("engine could not force the guest off; killing its process", {
          guest: this.guest.name,
          err: String(err),
        });
      }
    }
    return keeper.kill(this.guest.id);
  }

  private stopTimers(): void {
    this.deadline.clear();
    if (this.stopTimer) clearTimeout(this.stopTimer);
    if (this.stopAsk) clearTimeout(this.stopAsk);
    this.analyst.stopWatching();
  }

  /** A lifecycle event from the keeper; acknowledged once recorded. */
  onEvent(seq: number, event: LifecycleEvent): void {
    const { db } = this.deps;
    const id = this.guest.id;
    const name = this.guest.name;
    let apply: () => Promise<unknown>;
    switch (event.kind) {
      case "first-output":
        apply = () => markFirstOutput(db, id, event.boot, new Date(event.at));
        break;
      case "ready":
        if (event.boot === this.bootNumber) {
          this.ready = true;
          this.deadline.clear();
          this.analyst.watchAfterReady(event.boot);
          if (this.stopTimer && !this.done) {
            if (this.stopAsk) clearTimeout(this.stopAsk);
            void this.powerOff();
          }
        }
        log.info("guest ready", { guest: name, boot: event.boot, via: event.via });
        apply = () => recordReady(this.recorder, event.boot, new Date(event.at));
        break;
      case "rebooted":
        if (event.boot + 1 > this.bootNumber) {
          this.bootNumber = event.boot + 1;
          this.ready = false;
          this.analyst.stopWatching();
          this.deadline.arm(event.at);
        }
        log.info("guest rebooted", { guest: name, boot: event.boot + 1 });
        apply = () => recordReboot(this.recorder, event.boot, new Date(event.at), event.logBytes);
        break;
      case "exited":
        apply = () => this.onExited(event);
        break;
      case "network-failed":
        log.error("guest network failed", { guest: name, message: event.message });
        apply = () => recordNotice(this.recorder, `The guest's network could not be set up: ${event.message}`);
        break;
      case "log-truncated":
        log.warn("boot log reached its limit; recording stopped", { guest: name, boot: event.boot });
        apply = () => markLogTruncated(db, id, event.boot);
        break;
      case "logs-pruned":
        log.info("old boot logs pruned", { guest: name, boots: event.pruned });
        apply = () => markLogsPruned(db, id, event.pruned, new Date(event.at));
        break;
      case "log-failed":
        log.error("boot log failed", { guest: name, boot: event.boot, message: event.message });
        apply = () =>
          recordNotice(
            this.recorder,
            `Console output is no longer recorded: ${event.message}. Free space in the data directory.`,
          );
        break;
    }
    void this.enqueue(event.kind, apply).then(() => this.deps.keeper.ack(seq));
  }

  private async onExited(event: Extract<LifecycleEvent, { kind: "exited" }>): Promise<void> {
    this.done = true;
    this.stopTimers();
    this.deps.consoles.ended(this.guest.id);
    const { outcome, detail } = classifyExit({
      ...event,
      killReason: this.killReason,
      rebootRequested: this.restartAfterExit,
      bootTimeoutS: this.deps.config.bootTimeoutMs / 1000,
      bootLimitS: this.deps.config.bootLimitMs / 1000,
      stopTimeoutS: this.deps.config.stopTimeoutMs / 1000,
    });
    this.outcome = outcome;
    log.info("guest ended", {
      guest: this.guest.name,
      boot: event.boot,
      outcome,
      exitCode: event.exitCode,
      signal: event.signal,
    });
    await recordExit(this.recorder, event.boot, { outcome, detail, logBytes: event.logBytes, at: new Date(event.at) });
    this.emit("ended");
  }

  /**
   * Asks the guest's init to power off; forced off if the guest has not gone within the timeout.
   * Asked once the boot is ready: before its init is up a UML kernel has no mconsole yet, or
   * takes Ctrl-Alt-Del as a reboot of its own (the stop was then lost until the timeout killed
   * the guest it had rebooted). A guest that never says it is ready (an image with neither a
   * prompt nor the notice) is asked halfway to the timeout.
   */
  async requestStop(timeoutMs = this.deps.config.stopTimeoutMs): Promise<void> {
    if (this.done) return;
    this.stopTimer ??= setTimeout(() => this.kill("stop-timeout"), timeoutMs);
    if (this.ready) await this.powerOff();
    else this.stopAsk ??= setTimeout(() => void this.powerOff(), timeoutMs / 2);
  }

  private async powerOff(): Promise<void> {
    try {
      await this.deps.driver.requestPowerOff(this.guest.id);
    } catch (err) {
      // Ready (or halfway to the timeout) and not listening: wedged, nothing gentler is possible.
      log.warn("graceful stop impossible; forcing off", { guest: this.guest.name, err: String(err) });
      this.kill("stop-timeout");
    }
  }

  forceOff(): Promise<unknown> {
    this.killReason ??= "force-off";
    return this.end();
  }

  /** The keeper went away: the guest lost its console and was killed. Records that. */
  lost(reason: string): Promise<void> {
    if (this.done) return Promise.resolve();
    this.done = true;
    this.stopTimers();
    this.deps.consoles.ended(this.guest.id);
    this.outcome = "crashed";
    const boot = this.bootNumber;
    const paths = guestPaths(this.deps.config.dataDir, this.deps.config.runDir, this.guest.id);
    return this.enqueue("keeper lost", async () => {
      const logBytes = await castFileOutputBytes(bootLogPath(paths, boot));
      await recordExit(this.recorder, boot, { outcome: "crashed", detail: reason, logBytes, at: new Date() });
      this.emit("ended");
    });
  }
}
