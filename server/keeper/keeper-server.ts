import fs from "node:fs";
import net from "node:net";
import { logger } from "../log";
import { LineChannel } from "./line-channel";
import {
  requestSchema,
  type GuestStatus,
  type JournalEntry,
  type KeeperJournal,
  type KeeperMessage,
  type KeeperRequest,
  type LifecycleEvent,
} from "./protocol";
import { SupervisedGuest } from "./supervised-guest";

const log = logger("keeper");
const IDLE_EXIT_MS = 3000;
// If the daemon reads slower than guests print, stop reading the ptys once this much is
// queued for it, and go on when it has drained: everything still reaches the logs, in
// order; the guests' consoles wait meanwhile. Bounds the keeper's memory.
const DAEMON_QUEUE_HIGH = 8 * 1024 * 1024;

/**
 * The console keeper: a small process that holds every guest's pseudo-terminal and boot
 * log, so the host daemon can restart — or be killed — without a guest losing its console
 * or a byte of output (libvirt's virtlogd, podman's conmon). It keeps lifecycle events in
 * a journal until the daemon acknowledges them, so what happened while no daemon listened
 * is still applied to the database. It exits once no guest runs and no daemon is attached,
 * handing what is still unacknowledged to the next keeper (`unacknowledged`, `restored`).
 */
export class KeeperServer {
  private readonly guests = new Map<string, SupervisedGuest>();
  private journal: JournalEntry[] = [];
  private seq = 0;
  /** Kernels that ended under an earlier keeper, their ends not yet acknowledged. */
  private readonly ended = new Map<string, GuestStatus>();
  private daemon: LineChannel | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly server: net.Server;

  constructor(
    private readonly socketPath: string,
    private readonly onIdle: () => void,
    restored?: KeeperJournal,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
    if (restored) {
      this.seq = restored.seq;
      this.journal = restored.journal;
      for (const status of restored.ended) this.ended.set(status.guestId, status);
    }
  }

  listen(): Promise<void> {
    fs.rmSync(this.socketPath, { force: true });
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.socketPath, () => {
        fs.chmodSync(this.socketPath, 0o600);
        this.checkIdle();
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    // One daemon at a time: a newer connection replaces an older one.
    this.daemon?.socket.destroy();
    const channel = new LineChannel(
      socket,
      (msg) => this.handle(channel, msg),
      (line) => log.warn("unparsable request", { line: line.slice(0, 200) }),
    );
    this.daemon = channel;
    this.checkIdle();
    socket.on("error", () => {});
    socket.on("close", () => {
      if (this.daemon === channel) this.daemon = null;
      this.checkIdle();
    });
  }

  private paused = false;

  private send(msg: KeeperMessage): void {
    const daemon = this.daemon;
    if (!daemon) return;
    daemon.send(msg);
    if (!this.paused && daemon.socket.writableLength > DAEMON_QUEUE_HIGH) {
      this.paused = true;
      for (const g of this.guests.values()) g.pause();
      daemon.socket.once("drain", () => this.resumeAll());
      daemon.socket.once("close", () => this.resumeAll());
    }
  }

  private resumeAll(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const g of this.guests.values()) g.resume();
  }

  private handle(channel: LineChannel, raw: unknown): void {
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown })?.id;
      if (typeof id === "number") channel.send({ type: "reply", id, ok: false, error: "malformed request" });
      return;
    }
    const req = parsed.data;
    try {
      const result = this.dispatch(req);
      channel.send({ type: "reply", id: req.id, ok: true, result });
      // After adopting what hello reported, the daemon asks for what it has not yet applied.
      if (req.op === "replay") for (const e of this.journal) channel.send({ type: "event", ...e });
    } catch (err) {
      channel.send({ type: "reply", id: req.id, ok: false, error: (err as Error).message });
    }
  }

  private guest(id: string): SupervisedGuest {
    const g = this.guests.get(id);
    if (!g || g.exited) throw new Error("no running kernel for this guest");
    return g;
  }

  private dispatch(req: KeeperRequest): unknown {
    switch (req.op) {
      case "hello":
        return {
          pid: process.pid,
          guests: [...this.ended.values(), ...[...this.guests.values()].map((g) => g.status())],
        };
      case "replay":
        return { events: this.journal.length };
      case "spawn": {
        const existing = this.guests.get(req.spawn.guestId);
        if (existing && !existing.exited) throw new Error("this guest already has a running kernel");
        this.ended.delete(req.spawn.guestId);
        const g = new SupervisedGuest(req.spawn, {
          output: (guestId, boot, data) => this.send({ type: "output", guestId, boot, data }),
          event: (guestId, event) => this.record(guestId, event),
          hang: (guestId) => this.send({ type: "hang", guestId }),
        });
        this.guests.set(g.id, g);
        log.info("kernel started", { guest: req.spawn.guestName, pid: g.proc.pid, boot: g.bootNumber });
        return { pid: g.proc.pid };
      }
      case "write":
        this.guest(req.guestId).write(req.data);
        return undefined;
      case "resize":
        this.guest(req.guestId).resize(req.cols, req.rows);
        return undefined;
      case "kill":
        this.guest(req.guestId).kill();
        return undefined;
      case "ack":
        this.acknowledge(req.seq);
        return undefined;
    }
  }

  private record(guestId: string, event: LifecycleEvent): void {
    const entry = { seq: ++this.seq, guestId, event };
    this.journal.push(entry);
    this.send({ type: "event", ...entry });
    if (event.kind === "exited") {
      log.info("kernel exited", { guestId, ...event });
      this.checkIdle();
    }
  }

  private acknowledge(seq: number): void {
    for (const e of this.journal) {
      if (e.seq > seq || e.event.kind !== "exited") continue;
      // Only the kernel that ended: a next boot may have been spawned before this ack came.
      if (this.guests.get(e.guestId)?.exited) this.guests.delete(e.guestId);
      this.ended.delete(e.guestId);
    }
    this.journal = this.journal.filter((e) => e.seq > seq);
    this.checkIdle();
  }

  /** No kernel runs and no daemon listens: ends not yet acknowledged wait on disk instead. */
  private idle(): boolean {
    if (this.daemon !== null) return false;
    for (const g of this.guests.values()) if (!g.exited) return false;
    return true;
  }

  private checkIdle(): void {
    if (!this.idle()) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
    } else if (!this.idleTimer) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        if (this.idle()) this.onIdle();
      }, IDLE_EXIT_MS);
    }
  }

  get attached(): boolean {
    return this.daemon !== null;
  }

  /** What the next keeper must still report, or null when the daemon has heard everything. */
  unacknowledged(): KeeperJournal | null {
    if (this.journal.length === 0 && this.ended.size === 0) return null;
    const exited = [...this.guests.values()].filter((g) => g.exited).map((g) => g.status());
    return { seq: this.seq, journal: this.journal, ended: [...this.ended.values(), ...exited] };
  }

  /** Kills every kernel: without the keeper their consoles are gone and nobody could manage them. */
  killAll(): void {
    for (const g of this.guests.values()) g.kill();
  }

  close(): void {
    this.server.close();
    fs.rmSync(this.socketPath, { force: true });
  }
}
