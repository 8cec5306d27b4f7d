import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createSocket, type UnixDgramSocket } from "unix-dgram";
import { MconsoleError } from "./mconsole";
import { decodeReply, encodeRequest } from "./mconsole-protocol";

interface Pending {
  reply: string;
  resolve: (text: string) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One client socket for a series of mconsole requests, one at a time, to any guests — for
 * the metrics sampler, which asks every guest twice per tick, where binding a socket per
 * request (as mconsoleRequest does) was a large part of sampling's cost.
 *
 * Hazards: a unix datagram socket queues at most net.unix.max_dgram_qlen datagrams (10 by
 * default) and UML drops a reply that does not fit; a `proc meminfo` reply alone is 3–4
 * datagrams. Hence one request in flight per session. A reply that arrives after its
 * request timed out would be taken for the next one's: replies are matched by the guest
 * socket they come from, a guest that timed out is refused until the session closes, and a
 * closed session's address is never reused.
 */
export class MconsoleSession {
  private readonly own: string;
  private readonly socket: UnixDgramSocket;
  private readonly pending = new Map<string, Pending>();
  private readonly timedOut = new Set<string>();
  private closed = false;

  constructor(runDir: string) {
    this.own = path.join(runDir, `ms-${randomUUID().slice(0, 8)}.sock`);
    this.socket = createSocket("unix_dgram", (msg, rinfo) => this.onMessage(msg, rinfo.path));
    this.socket.on("error", () => {}); // each request reports its own failure
    this.socket.bind(this.own);
  }

  request(socketPath: string, command: string, timeoutMs: number): Promise<string> {
    if (this.closed) return Promise.reject(new MconsoleError("mconsole session closed"));
    if (this.pending.size) return Promise.reject(new MconsoleError("mconsole session busy: one request at a time"));
    if (this.timedOut.has(socketPath)) return Promise.reject(new MconsoleError(`mconsole timed out: ${socketPath}`));
    const request = encodeRequest(command);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timedOut.add(socketPath);
        this.settle(socketPath, new MconsoleError(`mconsole '${command}' timed out`));
      }, timeoutMs);
      this.pending.set(socketPath, { reply: "", resolve, reject, timer });
      this.socket.send(request, 0, request.length, socketPath, (err?: Error) => {
        if (err) this.settle(socketPath, new MconsoleError(`mconsole '${command}': cannot reach ${socketPath}`));
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.keys()) this.settle(p, new MconsoleError("mconsole session closed"));
    try {
      this.socket.close();
    } catch {}
    fs.rmSync(this.own, { force: true });
  }

  private onMessage(msg: Buffer, from: string | undefined): void {
    const p = from ? this.pending.get(from) : undefined;
    if (!from || !p) return;
    try {
      const part = decodeReply(msg);
      p.reply += part.data;
      if (part.more) return;
      this.settle(from, part.err === 0 ? null : new MconsoleError(p.reply || `mconsole error ${part.err}`));
    } catch (err) {
      this.settle(from, err as Error);
    }
  }

  private settle(socketPath: string, err: Error | null): void {
    const p = this.pending.get(socketPath);
    if (!p) return;
    this.pending.delete(socketPath);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(p.reply);
  }
}
