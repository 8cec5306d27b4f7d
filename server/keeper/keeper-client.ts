import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { logger } from "../log";
import { bundleKeeper } from "./keeper-bundle";
import { LineChannel } from "./line-channel";
import type { GuestStatus, KeeperMessage, KeeperOp, KeeperRequest, LifecycleEvent, SpawnRequest } from "./protocol";

const log = logger("keeper-client");

export interface KeeperClientEvents {
  /** The keeper's kernels as it reported them on connecting, before any output that followed. */
  attached: [kept: GuestStatus[]];
  output: [guestId: string, boot: number, data: string];
  event: [seq: number, guestId: string, event: LifecycleEvent];
  hang: [guestId: string];
  lost: [];
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Body<O extends KeeperOp> = Omit<Extract<KeeperRequest, { op: O }>, "op" | "id">;

/**
 * The daemon's end of the keeper socket. Connects to a running keeper or starts one
 * (detached, in its own session, so it outlives this process). `lost` means the keeper
 * went away while connected: its kernels have lost their consoles.
 */
export class KeeperClient extends EventEmitter<KeeperClientEvents> {
  private channel: LineChannel | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private helloId = 0;
  private closing = false;

  constructor(
    private readonly runDir: string,
    private readonly projectRoot: string,
    private readonly logFile: string,
  ) {
    super();
  }

  get socketPath(): string {
    return path.join(this.runDir, "keeper.sock");
  }

  /** Connects, starting the keeper first if none answers. Returns what it supervises. */
  async connect(): Promise<{ pid: number; guests: GuestStatus[] }> {
    let socket = await this.tryConnect();
    if (!socket) {
      const keeper = await this.startKeeper();
      let exited = false;
      keeper.once("exit", () => (exited = true));
      // A keeper that exits fails at once; one still starting (slow on a loaded host) is
      // waited for: the deadline only catches a hang.
      const until = Date.now() + 120_000;
      while (!socket && !exited && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        socket = await this.tryConnect();
      }
      socket ??= await this.tryConnect(); // it may have exited for a keeper started meanwhile
      if (!socket) throw new Error(`the console keeper did not start; see ${this.logFile}`);
    }
    this.channel = new LineChannel(socket, (m) => this.receive(m as KeeperMessage));
    socket.on("close", () => this.onClose());
    const hello = this.request("hello", {});
    this.helloId = this.nextId - 1;
    return (await hello) as { pid: number; guests: GuestStatus[] };
  }

  private tryConnect(): Promise<net.Socket | null> {
    return new Promise((resolve) => {
      const s = net.connect(this.socketPath);
      s.once("connect", () => resolve(s));
      s.once("error", () => resolve(null));
    });
  }

  private async startKeeper(): Promise<ChildProcess> {
    fs.mkdirSync(this.runDir, { recursive: true, mode: 0o700 });
    const main = await bundleKeeper(this.projectRoot, this.runDir);
    const out = fs.openSync(this.logFile, "a");
    // A bench may ask for a CPU profile of the keeper as of the daemon (bench/console.ts).
    const dir = process.env.CORRAL_BENCH_PROFILE_DIR;
    const prof = dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
    const child = spawn(process.execPath, [...prof, main, this.runDir], {
      cwd: this.projectRoot,
      detached: true,
      stdio: ["ignore", out, out],
      env: { ...process.env },
    });
    child.unref();
    fs.closeSync(out);
    log.info("started the console keeper", { pid: child.pid });
    return child;
  }

  private receive(msg: KeeperMessage): void {
    switch (msg.type) {
      case "reply": {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        // Told at once, before the lines that follow the reply are read: output the keeper
        // sends after its hello must land on consoles that know where the kernel is.
        if (msg.ok && msg.id === this.helloId) this.emit("attached", (msg.result as { guests: GuestStatus[] }).guests);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new Error(msg.error));
        return;
      }
      case "output":
        this.emit("output", msg.guestId, msg.boot, msg.data);
        return;
      case "event":
        this.emit("event", msg.seq, msg.guestId, msg.event);
        return;
      case "hang":
        this.emit("hang", msg.guestId);
    }
  }

  private onClose(): void {
    this.channel = null;
    for (const p of this.pending.values()) p.reject(new Error("the console keeper connection closed"));
    this.pending.clear();
    if (!this.closing) {
      log.error("lost the console keeper");
      this.emit("lost");
    }
  }

  request<O extends KeeperOp>(op: O, body: Body<O>): Promise<unknown> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new Error("not connected to the console keeper"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      channel.send({ op, id, ...body });
    });
  }

  /** Keystrokes: fire-and-forget on the hot path (a kernel that is gone shows up as an event). */
  writeConsole(guestId: string, data: string): void {
    this.channel?.send({ op: "write", id: 0, guestId, data });
  }

  resizeConsole(guestId: string, cols: number, rows: number): void {
    this.channel?.send({ op: "resize", id: 0, guestId, cols, rows });
  }

  async spawnKernel(spec: SpawnRequest): Promise<number> {
    const { pid } = (await this.request("spawn", { spawn: spec })) as { pid: number };
    return pid;
  }

  kill(guestId: string): Promise<unknown> {
    return this.request("kill", { guestId });
  }

  ack(seq: number): void {
    this.channel?.send({ op: "ack", id: 0, seq });
  }

  close(): void {
    this.closing = true;
    this.channel?.socket.end();
  }
}
