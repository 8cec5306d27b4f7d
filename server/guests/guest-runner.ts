import { EventEmitter } from "node:events";
import fs from "node:fs";
import { guestAddressing } from "../../lib/shared/network";
import { DEFAULT_BRIDGE_CIDR } from "../../lib/shared/settings";
import type { BootOutcome } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { CorralError } from "../errors";
import { logger } from "../log";
import {
  beginBoot,
  endBoot,
  markFirstOutput,
  markLogsPruned,
  markLogTruncated,
  markReady,
} from "../boots/boot-records";
import type { GuestConsole } from "../consoles/console-hub";
import type { KeeperClient } from "../keeper/keeper-client";
import type { GuestStatus, LifecycleEvent } from "../keeper/protocol";
import { planLaunch, type LaunchGuest } from "./launch-plan";
import path from "node:path";
import { writeSeedDisk } from "./seed-disk";
import { mconsoleRequest } from "../uml/mconsole";
import { bootLogPath, guestPaths, type GuestPaths } from "../uml/paths";
import { castFileOutputBytes } from "../boots/asciicast";
import { classifyExit, type KillReason } from "./exit-outcome";
import type { GuestStore } from "./guest-store";

const log = logger("runner");

export interface RunnerGuest extends LaunchGuest {
  /** On the bridge: the host part of its reserved address. */
  bridgeHost: number | null;
  rootPasswordHash: string | null;
  authorizedKeys: string | null;
}

interface RunnerDeps {
  config: Config;
  db: Db;
  store: GuestStore;
  console: GuestConsole;
  keeper: KeeperClient;
}

/**
 * The daemon's side of one live kernel. The kernel itself, its console and its logs are
 * held by the console keeper; this turns the keeper's lifecycle events into boot records
 * and state transitions, and owns the policies: boot deadline, graceful stop, force off,
 * restart after a reboot. Emits `ended` once the kernel is gone and recorded.
 *
 * Each keeper event is acknowledged only after it is written to the database, in order:
 * a daemon killed halfway is replayed the rest on its next start. The writes are therefore
 * idempotent (a replayed event must not record anything twice).
 */
export class GuestRunner extends EventEmitter<{ ended: [] }> {
  pid: number | null = null;
  private bootNumber = 0;
  private bootStartedAt = 0;
  private ready = false;
  private readonly paths: GuestPaths;
  private queue: Promise<unknown> = Promise.resolve();
  private deadline: NodeJS.Timeout | null = null;
  private stopTimer: NodeJS.Timeout | null = null;
  private killReason: KillReason | null = null;
  /** Set by a reboot request: the service starts the guest again once this kernel is gone. */
  restartAfterExit = false;
  outcome: BootOutcome | null = null;
  private done = false;

  constructor(
    private readonly guest: RunnerGuest,
    private readonly deps: RunnerDeps,
  ) {
    super();
    this.paths = guestPaths(deps.config.dataDir, deps.config.runDir, guest.id);
  }

  private sink() {
    const { keeper } = this.deps;
    return {
      write: (data: string) => keeper.notify("write", { guestId: this.guest.id, data }),
      resize: (cols: number, rows: number) => keeper.notify("resize", { guestId: this.guest.id, cols, rows }),
    };
  }

  /** Spawns the kernel through the keeper. The guest must be `booting` with its boot recorded. */
  async start(bootNumber: number, startedAt: Date): Promise<void> {
    const { config, keeper } = this.deps;
    await fs.promises.mkdir(this.paths.bootsDir, { recursive: true });
    const size = this.deps.console.size;
    this.bootNumber = bootNumber;
    this.bootStartedAt = startedAt.getTime();
    const g = this.guest;
    const seedPath = path.join(this.paths.dir, "seed.img");
    await writeSeedDisk(seedPath, {
      hostname: g.name,
      network: guestAddressing(g.network, g.bridgeHost, config.bridge?.cidr ?? DEFAULT_BRIDGE_CIDR),
      rootPasswordHash: g.rootPasswordHash,
      authorizedKeys: g.authorizedKeys,
    });
    this.pid = await keeper.spawnKernel({
      guestId: g.id,
      guestName: g.name,
      bootNumber,
      startedAt: this.bootStartedAt,
      ...planLaunch(config, g, this.paths, seedPath),
      cwd: this.paths.dir,
      tmpDir: config.umlTmpDir,
      cols: size.cols,
      rows: size.rows,
      bootsDir: this.paths.bootsDir,
      logLimits: config.bootLogs,
      notifySocket: this.paths.notifySocket,
    });
    this.deps.console.connect(this.sink(), bootNumber);
    this.armDeadline();
    log.info("guest started", { guest: this.guest.name, pid: this.pid, boot: bootNumber });
  }

  /** Takes over a kernel the keeper kept running while no daemon was attached. */
  adopt(status: GuestStatus, stateIsStopping: boolean): void {
    this.pid = status.pid;
    this.bootNumber = status.bootNumber;
    this.bootStartedAt = status.bootStartedAt;
    this.ready = status.ready;
    const gc = this.deps.console;
    gc.adoptSize(status.cols, status.rows);
    gc.output(status.tail);
    gc.connect(this.sink(), status.bootNumber, { announce: false });
    if (!status.ready) this.armDeadline(this.bootStartedAt + this.deps.config.bootTimeoutMs - Date.now());
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

  private armDeadline(ms = this.deps.config.bootTimeoutMs): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = setTimeout(
      () => {
        if (this.ready || this.done) return;
        log.warn("guest missed its boot deadline", { guest: this.guest.name });
        this.killReason ??= "boot-timeout";
        void this.deps.keeper.kill(this.guest.id).catch(() => {});
      },
      Math.max(0, ms),
    );
  }

  output(data: string): void {
    this.deps.console.output(data);
  }

  /** A lifecycle event from the keeper; acknowledged once applied. */
  onEvent(seq: number, event: LifecycleEvent): void {
    const { db, store } = this.deps;
    const id = this.guest.id;
    let apply: () => Promise<unknown>;
    switch (event.kind) {
      case "first-output":
        apply = () => markFirstOutput(db, id, event.boot, new Date(event.at));
        break;
      case "ready":
        if (event.boot === this.bootNumber) {
          this.ready = true;
          if (this.deadline) clearTimeout(this.deadline);
        }
        log.info("guest ready", { guest: this.guest.name, boot: event.boot, via: event.via });
        apply = () =>
          store.exclusive(id, async () => {
            await markReady(db, id, event.boot, new Date(event.at));
            if ((await store.state(id)) === "booting") await store.apply(id, { type: "ready" });
          });
        break;
      case "rebooted": {
        const next = event.boot + 1;
        if (next > this.bootNumber) {
          this.bootNumber = next;
          this.bootStartedAt = event.at;
          this.ready = false;
          this.deps.console.newBoot(next);
          this.armDeadline(event.at + this.deps.config.bootTimeoutMs - Date.now());
        }
        log.info("guest rebooted", { guest: this.guest.name, boot: next });
        const at = new Date(event.at);
        apply = () =>
          store.exclusive(id, async () => {
            await endBoot(db, id, event.boot, { outcome: "rebooted", detail: null, logBytes: event.logBytes, at });
            await beginBoot(db, id, next, at);
            const state = await store.state(id);
            if (state === "running" || state === "booting") await store.apply(id, { type: "reboot" });
            else await store.announce(id);
          });
        break;
      }
      case "exited":
        apply = () => this.onExited(event);
        break;
      case "network-failed": {
        log.error("guest network failed", { guest: this.guest.name, message: event.message });
        const reason = `The guest's network could not be set up: ${event.message}`;
        apply = () =>
          store.exclusive(id, async () => {
            await db.guest.update({ where: { id }, data: { stateReason: reason } });
            await store.announce(id);
          });
        break;
      }
      case "log-truncated":
        log.warn("boot log reached its limit; recording stopped", { guest: this.guest.name, boot: event.boot });
        apply = () => markLogTruncated(db, id, event.boot);
        break;
      case "logs-pruned":
        log.info("old boot logs pruned", { guest: this.guest.name, boots: event.pruned });
        apply = () => markLogsPruned(db, id, event.pruned, new Date(event.at));
        break;
      case "log-failed": {
        log.error("boot log failed", { guest: this.guest.name, boot: event.boot, message: event.message });
        const reason = `Console output is no longer recorded: ${event.message}. Free space in the data directory.`;
        // The database usually lives on the same full disk: browsers hear it even if it can't be stored.
        apply = () =>
          store.exclusive(id, async () => {
            await db.guest.update({ where: { id }, data: { stateReason: reason } }).catch(() => {});
            await store.announce(id, reason);
          });
        break;
      }
    }
    void this.enqueue(event.kind, apply).then(() => this.deps.keeper.ack(seq));
  }

  private async onExited(event: Extract<LifecycleEvent, { kind: "exited" }>): Promise<void> {
    this.done = true;
    if (this.deadline) clearTimeout(this.deadline);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.deps.console.disconnect();
    const { outcome, detail } = classifyExit({
      ...event,
      killReason: this.killReason,
      rebootRequested: this.restartAfterExit,
      bootTimeoutS: this.deps.config.bootTimeoutMs / 1000,
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
    const { db, store } = this.deps;
    await store.exclusive(this.guest.id, async () => {
      await endBoot(db, this.guest.id, event.boot, {
        outcome,
        detail,
        logBytes: event.logBytes,
        at: new Date(event.at),
      });
      await store.apply(this.guest.id, { type: "exit", outcome }, { reason: detail, pid: null });
    });
    this.emit("ended");
  }

  /** Ctrl-Alt-Del through mconsole; forced off if the guest has not gone within the timeout. */
  async requestStop(timeoutMs = this.deps.config.stopTimeoutMs): Promise<void> {
    if (this.done) return;
    if (!this.stopTimer) {
      this.stopTimer = setTimeout(() => {
        this.killReason ??= "stop-timeout";
        void this.deps.keeper.kill(this.guest.id).catch(() => {});
      }, timeoutMs);
    }
    try {
      await this.mconsole("cad");
    } catch (err) {
      // No mconsole yet (very early boot) or it is wedged: nothing gentler is possible.
      log.warn("graceful stop impossible; forcing off", { guest: this.guest.name, err: String(err) });
      this.killReason ??= "stop-timeout";
      await this.deps.keeper.kill(this.guest.id).catch(() => {});
    }
  }

  forceOff(): Promise<unknown> {
    this.killReason ??= "force-off";
    return this.deps.keeper.kill(this.guest.id);
  }

  /** The keeper went away: the kernel lost its console and was killed. Records that. */
  lost(reason: string): Promise<void> {
    if (this.done) return Promise.resolve();
    this.done = true;
    if (this.deadline) clearTimeout(this.deadline);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.deps.console.disconnect();
    this.outcome = "crashed";
    const { db, store } = this.deps;
    const boot = this.bootNumber;
    return this.enqueue("keeper lost", () =>
      store.exclusive(this.guest.id, async () => {
        const logBytes = await castFileOutputBytes(bootLogPath(this.paths, boot));
        await endBoot(db, this.guest.id, boot, { outcome: "crashed", detail: reason, logBytes, at: new Date() });
        await store.apply(this.guest.id, { type: "exit", outcome: "crashed" }, { reason, pid: null });
        this.emit("ended");
      }),
    );
  }

  mconsole(command: string): Promise<string> {
    return mconsoleRequest(this.paths.mconsoleSocket, command, { runDir: this.deps.config.runDir });
  }
}
