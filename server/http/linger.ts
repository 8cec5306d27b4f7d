import type { Socket } from "node:net";

// Closing a connection while the client is still sending resets it, and a client that is
// still writing can then lose the answer it was sent. So the daemon ends its side, goes on
// discarding what arrives for a moment, and only then closes (a "lingering close").
const LINGER_MS = 2_000;
const LINGER_BYTES = 64 * 1024 * 1024;

/** Sends `last` (if any), ends the connection's sending side, and closes it after lingering. */
export function lingerThenClose(socket: Socket, last?: string): void {
  let discarded = 0;
  socket.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) socket.destroy();
  });
  socket.resume();
  if (last) socket.end(last);
  else socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}
