import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import pty from "node-pty";
import { statField } from "../metrics/host-reader";
import { STAT_FIELD } from "../metrics/proc-text";
import type { Notification } from "./mconsole-protocol";
import { listenForNotifications } from "./mconsole";

export interface KernelExit {
  exitCode: number;
  signal: number;
}

export interface KernelProcessEvents {
  output: [data: string];
  notify: [notification: Notification];
  exit: [exit: KernelExit];
}

export interface SpawnOptions {
  binary: string;
  argv: string[];
  cols: number;
  rows: number;
  cwd: string;
  tmpDir: string;
  notifySocket: string;
}

/**
 * A running UML kernel on a pseudo-terminal the daemon holds. Emits `output`, `notify`
 * and `exit`; knows nothing of sockets, boots or the database.
 *
 * Hazards: UML forks helper processes into its process group and ignores SIGHUP, so
 * killing only the main pid leaves them behind — every kill here targets the group, and
 * once the kernel exits the group is swept again. node-pty may emit `output` after `exit`.
 */
export class KernelProcess extends EventEmitter<KernelProcessEvents> {
  readonly pid: number;
  private readonly term: pty.IPty;
  private closeNotify: () => void;
  exited: KernelExit | null = null;

  private constructor(opts: SpawnOptions) {
    super();
    // Bound before the kernel starts, so its first notification (the mconsole socket) lands.
    this.closeNotify = listenForNotifications(opts.notifySocket, (n) => this.emit("notify", n));
    try {
      this.term = pty.spawn(opts.binary, opts.argv, {
        name: "xterm-256color",
        cols: opts.cols,
        rows: opts.rows,
        cwd: opts.cwd,
        // The guest sees none of the daemon's environment; UML only needs TMPDIR (where it
        // backs guest RAM) and PATH (to re-exec itself on reboot).
        env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", TMPDIR: opts.tmpDir, TERM: "xterm-256color" },
      });
    } catch (err) {
      this.closeNotify();
      throw err;
    }
    this.pid = this.term.pid;
    yieldToHost(this.pid, () => !this.exited);
    this.term.onData((data) => this.emit("output", data));
    this.term.onExit(({ exitCode, signal }) => {
      this.exited = { exitCode, signal: signal ?? 0 };
      killGroup(this.pid, "SIGKILL");
      this.closeNotify();
      this.emit("exit", this.exited);
    });
  }

  static spawn(opts: SpawnOptions): KernelProcess {
    return new KernelProcess(opts);
  }

  write(data: string): void {
    if (!this.exited) this.term.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.exited) return;
    try {
      this.term.resize(cols, rows);
    } catch {
      // The pty can close between the check and the ioctl; the exit event follows.
    }
  }

  /** Stops reading the console (the kernel's writes then wait): backpressure, not loss. */
  pause(): void {
    if (!this.exited) this.term.pause();
  }

  resume(): void {
    if (!this.exited) this.term.resume();
  }

  /** Safe to call more than once, and after exit. */
  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    if (!this.exited) killChildAndGroup(this.pid, signal);
    else killGroup(this.pid, signal);
  }
}

/**
 * How much less CPU a guest's processes get than the daemon and the keeper when both want it
 * (0–19, `CORRAL_KERNEL_NICE`, validated with the daemon's settings; the keeper inherits the
 * daemon's environment). Lowering kernels lets a start or a keystroke answer at once amid a
 * boot storm, but on a host shared with other work it also hands that work the kernels' CPU.
 */
export const KERNEL_NICE = Number(process.env.CORRAL_KERNEL_NICE ?? 5);

/**
 * Hazard: a kernel on a pty is the leader of a session of its own, and with the scheduler's
 * autogroups (Linux's default on desktops and many servers) each session is scheduled as one
 * group at the group's nice value: a process's own nice value then only ranks it among its
 * session, so the group's is lowered too. The kernel's helpers, forked later, inherit both.
 * Best effort: without autogroups the file is absent; a nice value is only ever raised.
 */
function yieldToHost(pid: number, ours: () => boolean): void {
  if (KERNEL_NICE === 0) return;
  try {
    os.setPriority(pid, KERNEL_NICE);
  } catch {
    // the kernel exited already: its exit event follows
  }
  lowerAutogroup(pid, KERNEL_NICE, ours);
}

/**
 * Hazard: until the forked child has made its own session (the first thing it does, but it
 * may wait for CPU: about one spawn in six here at load 5) it is still in its parent's, and
 * writing its autogroup would lower the parent's group (the keeper's, for good) and leave the
 * kernel's at 0. So it is written once the child leads its session, looked at every 10 ms
 * for half a second while the child is `ours` (not exited: its pid not reused).
 */
export function lowerAutogroup(pid: number, nice: number, ours: () => boolean, tries = 50): void {
  if (!ours()) return;
  const session = sessionOf(pid);
  if (session === null) return; // gone
  if (session !== pid) {
    if (tries > 0) setTimeout(() => lowerAutogroup(pid, nice, ours, tries - 1), 10).unref();
    return;
  }
  try {
    fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch {
    // no autogroups here (or the kernel exited): its own nice value is what counts
  }
}

function sessionOf(pid: number): number | null {
  const session = statField(pid, STAT_FIELD.session);
  return session < 0 ? null : session;
}

/**
 * Kills a child of ours (not yet reaped: its pid is still its own) and the group it leads.
 * Hazard: a kernel has no group of its own until its forked child makes its session, the
 * first thing it does — but a child starved of CPU amid a boot storm (niced as soon as it
 * is forked: yieldToHost) can take longer than a start and a force off take to arrive; the
 * group kill then finds no group and the kernel boots all the same, its guest "stopping"
 * for good. The child itself is signalled then: before its exec it has no helpers.
 */
export function killChildAndGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (killGroup(pid, signal)) return true;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // gone already
  }
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group is gone already
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The kernel arguments of a live process, or null if it is gone or not readable. */
export function processArgv(pid: number): string[] | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return null;
  }
}

/** Kernels started with this run directory: `uml_dir=<runDir>` is on their command line, `umid=<guest id>` too. */
export function findKernels(runDir: string): Array<{ pid: number; umid: string | null }> {
  const found: Array<{ pid: number; umid: string | null; ppid: number }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = processArgv(Number(entry));
    if (!argv?.includes(`uml_dir=${runDir}`)) continue;
    const umid = argv.find((a) => a.startsWith("umid="))?.slice(5) ?? null;
    found.push({
      pid: Number(entry),
      umid,
      ppid: statField(entry, STAT_FIELD.parent),
    });
  }
  // A kernel forks a host process for each new guest address space; until it renames itself
  // (`uml-userspace`) it carries the kernel's command line. It is not a kernel: it comes and
  // goes with the guest's processes.
  const pids = new Set(found.map((k) => k.pid));
  return found.filter((k) => !pids.has(k.ppid)).map(({ pid, umid }) => ({ pid, umid }));
}
