import type { BootLog } from "../boots/boot-log";
import { ConsoleWatcher } from "../boots/console-watcher";
import { readContainerExit } from "../lxc/exit-report";
import { KernelProcess, type KernelExit } from "../uml/kernel-process";
import type { Notification } from "../uml/mconsole-protocol";
import type { GuestStatus, LifecycleEvent, SpawnRequest } from "./protocol";
import { ConsoleReader } from "./console-reader";
import { ConsoleTail } from "./console-tail";
import { openBootLog } from "./guest-boot-logs";
import { GuestNetwork } from "./guest-network";

export interface SupervisedGuestSink {
  output(guestId: string, boot: number, data: string): void;
  event(guestId: string, event: LifecycleEvent): void;
  hang(guestId: string): void;
}

/**
 * One kernel under the keeper: owns its pseudo-terminal, writes every byte it prints to
 * the current boot's log (split where the kernel restarts itself), notices first output,
 * readiness, panics and the exit, and reports them as lifecycle events.
 *
 * Readiness: the guest's init says so through the mconsole user notification
 * (`echo corral-ready > /proc/mconsole`), or — for images that don't — the console shows a
 * login or shell prompt. The notification is exact; the prompt is the fallback any image has.
 */
export class SupervisedGuest {
  readonly proc: KernelProcess;
  private readonly network: GuestNetwork;
  private log: BootLog;
  private readonly watcher = new ConsoleWatcher();
  bootNumber: number;
  bootStartedAt: number;
  private sawOutput = false;
  private sawMconsole = false;
  ready = false;
  exited = false;
  private panic: string | null = null;
  private consoleSaid: "halted" | "powered-off" | null = null;
  private readonly tail = new ConsoleTail();
  private readonly console: ConsoleReader;
  cols: number;
  rows: number;

  constructor(
    private readonly spec: SpawnRequest,
    private readonly sink: SupervisedGuestSink,
  ) {
    this.bootNumber = spec.bootNumber;
    this.bootStartedAt = spec.startedAt;
    this.cols = spec.cols;
    this.rows = spec.rows;
    this.console = new ConsoleReader(() => this.proc, {
      uml: !spec.containerExit,
      name: spec.guestName,
      deliver: (data) => this.onOutput(data),
    });
    this.log = this.openLog(spec.bootNumber, spec.startedAt);
    this.network = new GuestNetwork(spec);
    try {
      this.network.prepare();
      this.proc = KernelProcess.spawn({
        binary: spec.binary,
        argv: spec.argv,
        cols: spec.cols,
        rows: spec.rows,
        cwd: spec.cwd,
        tmpDir: spec.tmpDir,
        notifySocket: spec.notifySocket,
      });
    } catch (err) {
      this.log.close();
      this.network.close();
      throw err;
    }
    this.proc.on("output", (d) => this.console.push(d));
    this.proc.on("notify", (n) => this.onNotify(n));
    this.proc.on("exit", (e) => this.onExit(e));
    this.network.follow(this.proc, this.networkFailed);
  }

  private readonly networkFailed = (message: string) =>
    this.emit({ kind: "network-failed", boot: this.bootNumber, at: Date.now(), message });

  get id(): string {
    return this.spec.guestId;
  }

  private openLog(boot: number, startedAt: number): BootLog {
    return openBootLog(this.spec, boot, startedAt, { cols: this.cols, rows: this.rows }, (e) => this.emit(e));
  }

  /** A batch of output (see output-batch.ts): scanned, logged and sent on as one. */
  private onOutput(data: string): void {
    let rest = data;
    for (const sign of this.watcher.scan(data)) {
      if (sign.kind === "restarting") {
        // The old kernel's last line goes to its own log and boot; what follows is the next boot.
        const end = sign.end - (data.length - rest.length);
        this.record(rest.slice(0, end));
        rest = rest.slice(end);
        this.nextBoot();
      } else if (sign.kind === "panic") {
        this.panic ??= sign.message;
      } else if (sign.kind === "halted" || sign.kind === "powered-off") {
        this.consoleSaid = sign.kind;
      } else if (sign.kind === "prompt") {
        this.becomeReady("prompt");
      }
    }
    this.record(rest);
    this.tail.add(data);
  }

  private record(data: string): void {
    if (!data) return;
    this.log.output(data);
    if (!this.sawOutput) {
      this.sawOutput = true;
      this.emit({ kind: "first-output", boot: this.bootNumber, at: Date.now() });
    }
    this.sink.output(this.id, this.bootNumber, data);
  }

  private emit(event: LifecycleEvent): void {
    // Output gathered before the event is told first (a no-op while a batch is being handled).
    this.console.flush();
    this.sink.event(this.id, event);
  }

  private onNotify(n: Notification): void {
    if (n.type === "socket") {
      // Each kernel incarnation announces its mconsole once. A second announcement in the
      // same boot means the kernel restarted without printing the restart line. Hazard: the
      // new kernel's announcement can come before the old one's restart line is read (the pty
      // is read in batches, the notification at once), which counted one reboot twice: the
      // pty is read first (as for readiness, below), and the announcement then belongs to
      // the boot the line began.
      this.console.readNow();
      const boot = this.bootNumber;
      setImmediate(() =>
        setImmediate(() => {
          if (this.exited) return;
          this.console.flush();
          if (boot === this.bootNumber && this.sawMconsole) this.nextBoot();
          this.sawMconsole = true;
        }),
      );
    } else if (n.type === "user" && n.data.trim() === "corral-ready") {
      // What init printed before it said so may still wait in the pty (a busy window holds
      // it): have it read — in the event loop's next poll, after this turn's immediates — and
      // only then mark readiness, so the boot is analysed whole.
      this.console.readNow();
      const boot = this.bootNumber;
      setImmediate(() => setImmediate(() => boot === this.bootNumber && this.becomeReady("init")));
    } else if (n.type === "panic") {
      this.panic = n.data.trim();
    } else if (n.type === "hang") {
      this.sink.hang(this.id);
    }
  }

  private becomeReady(via: "init" | "prompt"): void {
    if (this.ready || this.exited) return;
    this.ready = true;
    this.console.flush(); // what was gathered before readiness is logged before its marker
    this.log.marker("ready");
    // On disk before the daemon hears of it: readiness is when the boot is analysed, and the
    // lines just before the prompt (init's failures) would otherwise still wait to be joined.
    this.log.flush();
    this.emit({ kind: "ready", boot: this.bootNumber, at: Date.now(), via });
  }

  private nextBoot(): void {
    const at = Date.now();
    this.log.close();
    this.emit({ kind: "rebooted", boot: this.bootNumber, at, logBytes: this.log.bytes });
    this.bootNumber += 1;
    this.bootStartedAt = at;
    this.log = this.openLog(this.bootNumber, at);
    this.watcher.reset();
    this.sawOutput = false;
    this.sawMconsole = false;
    this.ready = false;
    this.panic = null;
    this.consoleSaid = null;
    this.network.rebooted(this.networkFailed);
  }

  private onExit(e: KernelExit): void {
    // The last output is scanned and logged first: it may say why the kernel ended.
    this.console.close();
    this.exited = true;
    this.network.close();
    this.log.close();
    const report = this.spec.containerExit;
    if (!report) return this.emitExit(e, {});
    readContainerExit(report.lxcLog, report.oomRecord).then(
      (c) => {
        if (!c) return this.emitExit(e, {}); // init never ran: lxc-start's own status says why
        // Powered off (SIGINT), and a reboot from inside that the post-stop hook made a stop, are clean ends.
        const clean = c.poweredOff || c.rebooted;
        this.emitExit({ exitCode: clean ? 0 : c.exitCode, signal: clean ? 0 : c.signal }, { oomKills: c.oomKills });
      },
      () => this.emitExit(e, {}),
    );
  }

  private emitExit(e: KernelExit, extra: { oomKills?: number }): void {
    this.emit({
      kind: "exited",
      boot: this.bootNumber,
      at: Date.now(),
      logBytes: this.log.bytes,
      exitCode: e.exitCode,
      signal: e.signal,
      panic: this.panic,
      consoleSaid: this.consoleSaid,
      ...extra,
    });
  }

  write(data: string): void {
    this.console.inputSent();
    this.proc.write(data);
  }

  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    this.proc.resize(cols, rows);
    this.log.resize(cols, rows);
  }

  /** The daemon is behind: stop reading the pty until `resume`. */
  pause(): void {
    this.console.pause();
  }

  resume(): void {
    this.console.resume();
  }

  kill(): void {
    this.proc.kill("SIGKILL");
  }

  status(): GuestStatus {
    return {
      guestId: this.id,
      pid: this.proc.pid,
      bootNumber: this.bootNumber,
      bootStartedAt: this.bootStartedAt,
      ready: this.ready,
      exited: this.exited,
      cols: this.cols,
      rows: this.rows,
      tail: this.tail.get(),
    };
  }
}
