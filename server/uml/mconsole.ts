import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createSocket } from "unix-dgram";
import { decodeNotification, decodeReply, encodeRequest, type Notification } from "./mconsole-protocol";

export class MconsoleError extends Error {}

/**
 * Sends one command to a guest's mconsole socket and gathers the reply, which may come in
 * several datagrams. Each request binds its own short-lived socket: UML answers to the
 * sender's address, and a fresh address means a late reply to an earlier, timed-out
 * request can never be mistaken for this one's.
 */
export function mconsoleRequest(
  socketPath: string,
  command: string,
  { runDir, timeoutMs = 5000 }: { runDir: string; timeoutMs?: number },
): Promise<string> {
  const request = encodeRequest(command);
  const own = path.join(runDir, `mc-${randomUUID().slice(0, 8)}.sock`);
  return new Promise((resolve, reject) => {
    let reply = "";
    let settled = false;
    const socket = createSocket("unix_dgram", (msg) => {
      try {
        const part = decodeReply(msg);
        reply += part.data;
        if (part.more) return;
        finish(part.err === 0 ? null : new MconsoleError(reply || `mconsole error ${part.err}`));
      } catch (err) {
        finish(err as Error);
      }
    });
    const timer = setTimeout(() => finish(new MconsoleError(`mconsole '${command}' timed out`)), timeoutMs);
    function finish(err: Error | null) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {}
      fs.rmSync(own, { force: true });
      if (err) reject(err);
      else resolve(reply);
    }
    socket.on("error", (err: Error) => finish(new MconsoleError(`mconsole '${command}': ${err.message}`)));
    socket.bind(own);
    if (settled) return;
    socket.send(request, 0, request.length, socketPath, (err) => {
      if (err) finish(new MconsoleError(`mconsole '${command}': cannot reach ${socketPath} (${err.message})`));
    });
  });
}

/** Listens on the socket UML's `mconsole=notify:<path>` reports to. */
export function listenForNotifications(socketPath: string, onNotify: (n: Notification) => void): () => void {
  fs.rmSync(socketPath, { force: true });
  const socket = createSocket("unix_dgram", (msg) => {
    const n = decodeNotification(msg);
    if (n) onNotify(n);
  });
  socket.bind(socketPath);
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    try {
      socket.close();
    } catch {}
    fs.rmSync(socketPath, { force: true });
  };
}
