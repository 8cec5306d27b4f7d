// The live channel (socket.io on the host daemon), signed in with the same API token.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../lib/shared/protocol";
import type { Api } from "./api";
import { CliError, EXIT } from "./exit-codes";

export type CorralSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const CONNECT_TIMEOUT_MS = 20_000;

/** Connects, reconnecting by itself after a dropped connection; throws if the first connect fails. */
export async function connectSocket(api: Api): Promise<CorralSocket> {
  const url = new URL(api.url);
  const socket: CorralSocket = io(url.origin, {
    path: `${url.pathname === "/" ? "" : url.pathname}/socket.io`,
    transports: ["websocket"],
    extraHeaders: api.headers(),
    auth: api.connection.secret ? { token: api.connection.secret } : {},
    reconnectionDelay: 250,
    reconnectionDelayMax: 2000,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(api.failure(0, "")), CONNECT_TIMEOUT_MS);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("connect_error", (err) => {
        clearTimeout(timer);
        // The daemon refuses a handshake without a valid sign-in with this message.
        if (/unauthenticated/.test(err.message))
          reject(api.failure(401, err.message.replace(/^unauthenticated: /, "")));
        else reject(api.failure(0, ""));
      });
    });
  } catch (err) {
    socket.close();
    throw err;
  }
  return socket;
}

/** Emits an event that acknowledges `{ ok }`, and fails with its error (exit 3 when refused). */
export async function emitChecked(socket: CorralSocket, event: "images:watch" | "guests:watch"): Promise<void> {
  const reply = await socket.timeout(CONNECT_TIMEOUT_MS).emitWithAck(event);
  if (!reply.ok) throw socketRefusal(reply.error);
}

/** A refused event as a CliError: the daemon says "Your role (…) may not …" or "No such guest". */
export function socketRefusal(error: string): CliError {
  if (/^Your role/.test(error)) return new CliError(error, EXIT.auth);
  if (/^No such guest/.test(error)) return new CliError(error, EXIT.notFound);
  return new CliError(error, EXIT.error);
}
