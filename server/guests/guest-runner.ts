import { EventEmitter } from "node:events";
import fs from "node:fs";
import type { Config } from "../config";
import type { Db } from "../db";
import { logger } from "../log";
import { BootLog } from "../boots/boot-log";
import { beginBoot, endBoot, markFirstOutput, markReady } from "../boots/boot-records";
import { ConsoleWatcher } from "../boots/console-watcher";
import type { GuestConsole } from "../consoles/console-hub";
import { buildKernelArgv } from "../uml/argv";
import { KernelProcess, type KernelExit } from "../uml/kernel-process";
import { mconsoleRequest } from "../uml/mconsole";
import type { Notification } from "../uml/mconsole-protocol";
import { bootLogPath, guestPaths, type GuestPaths } from "../uml/paths";
import { classifyExit, type KillReason } from "./exit-outcome";
import type { GuestStore } from "./guest-store";
import type { BootOutcome } from "../../lib/protocol";

const log = logger("runner");

export interface RunnerGuest {
  id: string;
  name: string;
  memoryMiB: number;
  kernelArgs: string[];
  imagePath: string;
}

interface RunnerDeps {
  config: Config;
  db: Db;
  store: GuestStore;
  console: GuestConsole;
}

/** Per-boot bookkeeping; replaced when the guest reboots inside the same process. */
interface BootState {
  number: number;
  log: BootLog;
  sawOutput: boolean;
  sawMconsole: boolean;
  ready: boolean;
}

/**
 * Supervises one live kernel: its boots, their logs and timings, readiness, the boot
 * deadline, graceful and forced stops. Emits `ended` once the process is gone and every
 * record of it is written.
 *
 * Readiness: a guest is "running" when its init says so through the mconsole user
 * notification (`echo corral-ready > /proc/mconsole`, which the built-in image does at the
 * end of its rc script), or — for images that don't — when the console shows a login or
 * shell prompt. The notification is exact; the prompt is the fallback any image gives.
 *
 * Database writes go through one queue so they land in the order the kernel's events
 * happened, while log writes stay synchronous with the output itself.
 */
export class GuestRunner extends EventEmitter<{ ended: [] }> {
  private proc: KernelProcess | null = null;
  private boot: BootState | null = null;
  private readonly paths: GuestPaths;
  private readonly watcher = new ConsoleWatcher();
  private queue: Promise<unknown> = Promise.resolve();
  private deadline: NodeJS.Timeout | null = null;
  private stopTimer: NodeJS.Timeout | null = null;
  private killReason: KillReason | null = null;
  private shuttingDown = false;
  /** Set by a reboot request: the service starts the guest again once this kernel is gone. */
  restartAfterExit = false;
  outcome: BootOutcome | null = null;
  private panic: string | null = null;
  private consoleSaid: "halted" | "powered-off" | null = null;
  private readonly exited: Promise<void>;
  private resolveExited!: () => void;

  constructor(
    private readonly guest: RunnerGuest,
    private readonly deps: RunnerDeps,
  ) {
    super();
    this.paths = guestPaths(deps.config.dataDir, deps.config.runDir, guest.id);
    this.exited = new Promise((r) => (this.resolveExited = r));
  }

  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  /**
   * Spawns the kernel. The guest must already be `booting` and its boot recorded.
   * Throws if it cannot start.
   */
  async start(bootNumber: number, startedAt: Date): Promise<void> {
    const { config } = this.deps;
    fs.mkdirSync(this.paths.bootsDir, { recursive: true });
    fs.mkdirSync(config.runDir, { recursive: true, mode: 0o700 });
    this.boot = this.openBoot(bootNumber, startedAt.getTime());
    const size = this.deps.console.size;
    this.proc = KernelProcess.spawn({
      binary: config.umlBinary,
      argv: buildKernelArgv({
        umid: this.paths.umid,
        runDir: config.runDir,
        cowPath: this.paths.cow,
        imagePath: this.guest.imagePath,
        memoryMiB: this.guest.memoryMiB,
        notifySocket: this.paths.notifySocket,
        extraArgs: this.guest.kernelArgs,
      }),
      cols: size.cols,
      rows: size.rows,
      cwd: this.paths.dir,
      tmpDir: config.umlTmpDir,
      notifySocket: this.paths.notifySocket,
    });
    const proc = this.proc;
    this.deps.console.connect({ write: (d) => proc.write(d), resize: (c, r) => this.resize(c, r) }, bootNumber);
    proc.on("output", (data) => this.onOutput(data));
    proc.on("notify", (n) => this.onNotify(n));
    proc.on("exit", (e) => this.onExit(e));
    this.armDeadline();
    log.info("guest started", { guest: this.guest.name, pid: proc.pid, boot: bootNumber });
  }

  private openBoot(number: number, startedAt: number): BootState {
    const title = `${this.guest.name} — boot ${number}`;
    const bootLog = new BootLog(bootLogPath(this.paths, number), this.deps.console.size, title, startedAt);
    return { number, log: bootLog, sawOutput: false, sawMconsole: false, ready: false };
  }

  private enqueue(what: string, fn: () => Promise<unknown>): void {
    this.queue = this.queue
      .then(fn)
      .catch((err) => log.error(`${what} failed`, { guest: this.guest.name, err: String(err) }));
  }

  private resize(cols: number, rows: number): void {
    this.proc?.resize(cols, rows);
    this.boot?.log.resize(cols, rows);
  }

  private armDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      if (this.boot?.ready) return;
      log.warn("guest missed its boot deadline", { guest: this.guest.name });
      this.killReason ??= "boot-timeout";
      this.proc?.kill("SIGKILL");
    }, this.deps.config.bootTimeoutMs);
  }

  private onOutput(data: string): void {
    const boot = this.boot;
    if (!boot) return;
    let rest = data;
    for (const sign of this.watcher.scan(data)) {
      if (sign.kind === "restarting") {
        // The old kernel's last line goes to its own log; what follows is the next boot.
        boot.log.output(rest.slice(0, sign.end));
        rest = rest.slice(sign.end);
        this.beginNextBoot("console");
      } else if (sign.kind === "panic") {
        this.panic ??= sign.message;
      } else if (sign.kind === "halted" || sign.kind === "powered-off") {
        this.consoleSaid = sign.kind;
      } else if (sign.kind === "prompt") {
        this.becomeReady("prompt");
      }
    }
    const current = this.boot!;
    if (rest) current.log.output(rest);
    this.deps.console.output(data);
    if (!current.sawOutput && rest) {
      current.sawOutput = true;
      const at = new Date();
      this.enqueue("first output", () => markFirstOutput(this.deps.db, this.guest.id, current.number, at));
    }
  }

  private onNotify(n: Notification): void {
    if (n.type === "socket") {
      // Each kernel incarnation announces its mconsole once. A second announcement in the
      // same boot means the guest restarted without printing the restart line.
      if (this.boot?.sawMconsole) this.beginNextBoot("mconsole");
      if (this.boot) this.boot.sawMconsole = true;
    } else if (n.type === "user" && n.data.trim() === "corral-ready") {
      this.becomeReady("init");
    } else if (n.type === "panic") {
      this.panic = n.data.trim();
    } else if (n.type === "hang") {
      log.warn("guest reported a hang", { guest: this.guest.name });
    }
  }

  private becomeReady(via: "init" | "prompt"): void {
    const boot = this.boot;
    if (!boot || boot.ready || this.proc?.exited) return;
    boot.ready = true;
    if (this.deadline) clearTimeout(this.deadline);
    const at = new Date();
    boot.log.marker("ready");
    log.info("guest ready", { guest: this.guest.name, boot: boot.number, via });
    this.enqueue("ready", () =>
      this.deps.store.exclusive(this.guest.id, async () => {
        await markReady(this.deps.db, this.guest.id, boot.number, at);
        if ((await this.deps.store.state(this.guest.id)) === "booting") {
          await this.deps.store.apply(this.guest.id, { type: "ready" });
        }
      }),
    );
  }

  private beginNextBoot(seenBy: "console" | "mconsole"): void {
    const prev = this.boot!;
    prev.log.close();
    const at = new Date();
    const next = this.openBoot(prev.number + 1, at.getTime());
    this.boot = next;
    next.sawMconsole = seenBy === "mconsole";
    this.watcher.reset();
    this.panic = null;
    this.consoleSaid = null;
    this.deps.console.newBoot(next.number);
    this.armDeadline();
    log.info("guest rebooted", { guest: this.guest.name, boot: next.number });
    this.enqueue("reboot", () =>
      this.deps.store.exclusive(this.guest.id, async () => {
        await endBoot(this.deps.db, this.guest.id, prev.number, {
          outcome: "rebooted",
          detail: null,
          logBytes: prev.log.bytes,
          at,
        });
        await beginBoot(this.deps.db, this.guest.id, next.number, at);
        const state = await this.deps.store.state(this.guest.id);
        if (state === "running" || state === "booting") await this.deps.store.apply(this.guest.id, { type: "reboot" });
        else await this.deps.store.announce(this.guest.id);
      }),
    );
  }

  private onExit(e: KernelExit): void {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    const boot = this.boot!;
    boot.log.close();
    this.deps.console.disconnect();
    const at = new Date();
    const { outcome, detail } = classifyExit({
      ...e,
      killReason: this.killReason,
      shutdown: this.shuttingDown,
      rebootRequested: this.restartAfterExit,
      panic: this.panic,
      consoleSaid: this.consoleSaid,
      bootTimeoutS: this.deps.config.bootTimeoutMs / 1000,
      stopTimeoutS: this.deps.config.stopTimeoutMs / 1000,
    });
    this.outcome = outcome;
    log.info("guest ended", { guest: this.guest.name, boot: boot.number, outcome, ...e });
    this.enqueue("exit", () =>
      this.deps.store.exclusive(this.guest.id, async () => {
        await endBoot(this.deps.db, this.guest.id, boot.number, { outcome, detail, logBytes: boot.log.bytes, at });
        await this.deps.store.apply(this.guest.id, { type: "exit", outcome }, { reason: detail, pid: null });
      }),
    );
    void this.queue.then(() => {
      this.resolveExited();
      this.emit("ended");
    });
  }

  /** Ctrl-Alt-Del through mconsole; forced off if the guest has not gone within the timeout. */
  async requestStop(timeoutMs = this.deps.config.stopTimeoutMs): Promise<void> {
    if (!this.proc || this.proc.exited) return;
    if (!this.stopTimer) {
      this.stopTimer = setTimeout(() => {
        this.killReason ??= "stop-timeout";
        this.proc?.kill("SIGKILL");
      }, timeoutMs);
    }
    try {
      await this.mconsole("cad");
    } catch (err) {
      // No mconsole yet (very early boot) or it is wedged: nothing gentler is possible.
      log.warn("graceful stop impossible; forcing off", { guest: this.guest.name, err: String(err) });
      this.killReason ??= "stop-timeout";
      this.proc.kill("SIGKILL");
    }
  }

  forceOff(): void {
    this.killReason ??= "force-off";
    this.proc?.kill("SIGKILL");
  }

  /** For the daemon's own shutdown: stop gently but briefly, then wait for the records. */
  async shutdown(graceMs: number): Promise<void> {
    this.shuttingDown = true;
    await this.requestStop(graceMs).catch(() => {});
    await this.exited;
  }

  waitForExit(): Promise<void> {
    return this.exited;
  }

  mconsole(command: string): Promise<string> {
    return mconsoleRequest(this.paths.mconsoleSocket, command, { runDir: this.deps.config.runDir });
  }
}
