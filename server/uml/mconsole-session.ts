import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createSocket, type UnixDgramSocket } from "unix-dgram";
import { MconsoleError } from "./mconsole";
import { decodeReply, encodeRequest } from "./mconsole-protocol";

/** One complete reply: `ok` unless the guest answered with an error (its text then says why). */
export interface MconsoleReply {
  ok: boolean;
  text: string;
}

interface Pending {
  /** Replies still to come. */
  left: number;
  /** The parts of the reply being gathered. */
  current: string;
  replies: MconsoleReply[];
  resolve: (replies: MconsoleReply[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One client socket for a series of mconsole exchanges, one at a time, to any guests — for
 * the metrics sampler, which asks every guest each tick, where binding a socket per
 * request (as mconsoleRequest does) was a large part of sampling's cost. An exchange sends
 * its commands back to back and waits once for all their replies: one wake-up of the guest
 * and one round trip per guest per tick, however many files are read.
 *
 * Hazards: a unix datagram socket queues at most net.unix.max_dgram_qlen datagrams (10 by
 * default) and UML drops a reply that does not fit: a `proc` reply is the file's text in
 * 511-byte parts plus two (`proc meminfo` 5, `proc loadavg` 3). Hence one exchange in
 * flight per session, and an exchange's replies must fit together. UML queues requests
 * that arrive together at the head of its list, so pipelined replies come in either
 * order, each whole (the guest answers one request after another): they are returned in
 * the order they came, for the caller to tell apart by their text. A reply that arrives
 * after its exchange timed out would be taken for the next one's: replies are matched by
 * the guest socket they come from, a guest that timed out is refused until the session
 * closes, and a closed session's address is never reused.
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
    this.socket.on("error", () => {}); // each exchange reports its own failure
    this.socket.bind(this.own);
  }

  /** One command's reply text; rejects with the guest's error text when it answers with one. */
  async request(socketPath: string, command: string, timeoutMs: number): Promise<string> {
    const [reply] = await this.exchange(socketPath, [command], timeoutMs);
    if (!reply.ok) throw new MconsoleError(reply.text || `mconsole '${command}' failed`);
    return reply.text;
  }

  /** Every command's reply, in the order they arrived (not necessarily the commands' order). */
  exchange(socketPath: string, commands: string[], timeoutMs: number): Promise<MconsoleReply[]> {
    if (this.closed) return Promise.reject(new MconsoleError("mconsole session closed"));
    if (this.pending.size) return Promise.reject(new MconsoleError("mconsole session busy: one exchange at a time"));
    if (this.timedOut.has(socketPath)) return Promise.reject(new MconsoleError(`mconsole timed out: ${socketPath}`));
    const requests = commands.map(encodeRequest);
    const what = commands.join("', '");
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timedOut.add(socketPath);
        this.settle(socketPath, new MconsoleError(`mconsole '${what}' timed out`));
      }, timeoutMs);
      this.pending.set(socketPath, { left: commands.length, current: "", replies: [], resolve, reject, timer });
      requests.forEach((request, sent) => {
        if (!this.pending.has(socketPath)) return; // a send failed: the rest would fail alike
        this.socket.send(request, 0, request.length, socketPath, (err?: Error) => {
          if (!err) return;
          // Requests already sent may still be answered: refuse the guest, as after a timeout.
          if (sent > 0) this.timedOut.add(socketPath);
          this.settle(socketPath, new MconsoleError(`mconsole '${what}': cannot reach ${socketPath}`));
        });
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
      p.current += part.data;
      if (part.more) return;
      p.replies.push({ ok: part.err === 0, text: p.current || (part.err === 0 ? "" : `mconsole error ${part.err}`) });
      p.current = "";
      if (--p.left === 0) this.settle(from, null);
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
    else p.resolve(p.replies);
  }
}
