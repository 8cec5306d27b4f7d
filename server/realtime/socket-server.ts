import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import type { EventBus } from "../events";
import type { ConsoleHub } from "../consoles/console-hub";
import { logger } from "../log";
import { handleConsoleEvents } from "./console-events";

const log = logger("realtime");
type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
/**
 * socket.io for live state and consoles. Holds only each socket's attachments; the
 * consoles and guests live in the services. A disconnect detaches, and never stops a guest.
 */
export function attachRealtime(
  http: HttpServer,
  deps: { config: Config; db: Db; bus: EventBus; consoles: ConsoleHub },
): Server {
  const origins = new Set(deps.config.webOrigins);
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    cors: { origin: deps.config.webOrigins, credentials: true },
    // CORS covers polling only; WebSocket upgrades are checked here, so a page on another
    // origin cannot open a console through a user's browser. (Clients that send no Origin
    // are not browsers and cannot be driven by one.)
    allowRequest: (req, done) => {
      const origin = req.headers.origin;
      done(null, origin === undefined || origins.has(origin));
    },
    maxHttpBufferSize: 256 * 1024,
  });

  deps.consoles.setBroadcast((ids, event) => io.to(ids).emit("console:data", event));
  deps.bus.on("guest:state", (e) => io.to("guests").emit("guest:state", e));
  deps.bus.on("guest:created", (e) => io.to("guests").emit("guest:created", e));
  deps.bus.on("guest:deleted", (e) => io.to("guests").emit("guest:deleted", e));
  deps.bus.on("metrics:sample", (e) => {
    // socket.io encodes a broadcast even for an empty room: skip it while nobody watches.
    if (io.sockets.adapter.rooms.get("metrics")?.size) io.to("metrics").emit("metrics:sample", e);
  });

  io.on("connection", (socket: CorralSocket) => {
    socket.on("guests:watch", (ack) => {
      void socket.join("guests");
      if (typeof ack === "function") ack({ ok: true });
    });

    socket.on("metrics:watch", (ack) => {
      void socket.join("metrics");
      if (typeof ack === "function") ack({ ok: true });
    });

    socket.on("metrics:unwatch", () => void socket.leave("metrics"));

    handleConsoleEvents(socket, deps);
  });

  log.info("socket.io ready", { origins: deps.config.webOrigins });
  return io;
}
