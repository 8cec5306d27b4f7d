import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import type { EventBus } from "../events";
import type { ConsoleHub } from "../consoles/console-hub";
import { logger } from "../log";
import { handleConsoleEvents } from "./console-events";
import type { ThisHost } from "../hosts/guest-host";
import type { FleetPasses } from "../hosts/fleet-pass";
import type { FleetEvents } from "../hosts/fleet-events";
import { authenticateSocket, type SocketData } from "./socket-auth";
import { onEvent } from "./socket-events";
import type { AuditLog } from "../audit/audit-log";
import type { ApiTokens } from "../auth/api-tokens";
import { guestListScope } from "../../lib/shared/permissions";

const log = logger("realtime");
type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
/**
 * socket.io for live state and consoles. Holds only each socket's attachments; the
 * consoles and guests live in the services. A disconnect detaches, and never stops a guest.
 */
export interface RealtimeDeps {
  config: Config;
  db: Db;
  bus: EventBus;
  consoles: ConsoleHub;
  audit: AuditLog;
  tokens: ApiTokens;
  /** This daemon's host: consoles of other hosts' guests are passed on to theirs (console-relay.ts). */
  here: ThisHost;
  /** Checks console links from other hosts' daemons, and signs this one's; null without CORRAL_FLEET_SECRET. */
  fleet: FleetPasses | null;
  /** The other hosts' announcements (PostgreSQL only). */
  fleetEvents: FleetEvents | null;
}

export function attachRealtime(http: HttpServer, deps: RealtimeDeps): Server {
  const origins = new Set(deps.config.webOrigins);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>(http, {
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

  // Every connection is signed in; refused otherwise (the client sees connect_error).
  io.use((socket, next) => {
    authenticateSocket(deps.db, deps.tokens, deps.fleet, socket.handshake)
      .then((data) => {
        if ("refused" in data) return next(new Error(`unauthenticated: ${data.refused}`));
        socket.data = data;
        closeAtExpiry(socket, data.expiresAt);
        next();
      })
      .catch(next);
  });

  // Guest events go to everyone who may list all guests, and to each guest's owner.
  const toWatchers = (ownerId: string | null) =>
    io.to(ownerId ? ["guests:all", `guests:owner:${ownerId}`] : "guests:all");
  deps.consoles.setBroadcast((ids, event) => io.to(ids).emit("console:data", event));
  // This daemon's announcements, and the other hosts' (hosts/fleet-events.ts) alike.
  for (const source of deps.fleetEvents ? [deps.bus, deps.fleetEvents] : [deps.bus]) {
    source.on("guest:state", (e) => toWatchers(e.ownerId).emit("guest:state", e));
    source.on("guest:created", (e) => toWatchers(e.ownerId).emit("guest:created", e));
    source.on("guest:deleted", (e) => toWatchers(e.ownerId).emit("guest:deleted", e));
    source.on("guest:migration", (e) => toWatchers(e.ownerId).emit("guest:migration", e));
    // Ended sessions end their sockets too (sign-out, disable, role change, password reset).
    source.on("user:signed-out", ({ userId }) => {
      for (const s of io.sockets.sockets.values()) if (s.data.user?.id === userId) s.disconnect(true);
    });
    source.on("session:ended", ({ sessionId }) => {
      for (const s of io.sockets.sockets.values()) if (s.data.sessionId === sessionId) s.disconnect(true);
    });
    source.on("token:revoked", ({ tokenId }) => {
      for (const s of io.sockets.sockets.values()) if (s.data.user?.tokenId === tokenId) s.disconnect(true);
    });
    source.on("image:copy", (e) => {
      if (io.sockets.adapter.rooms.get("images")?.size) io.to("images").emit("image:copy", e);
    });
  }
  deps.bus.on("metrics:sample", (e) => {
    // socket.io encodes a broadcast even for an empty room: skip it while nobody watches.
    if (io.sockets.adapter.rooms.get("metrics")?.size) io.to("metrics").emit("metrics:sample", e);
  });
  deps.bus.on("image:build", (e) => {
    if (io.sockets.adapter.rooms.get("images")?.size) io.to("images").emit("image:build", e);
  });

  io.on("connection", (socket: CorralSocket) => {
    const user = socket.data.user;
    const viewerId = socket.data.viewerId;
    if (viewerId) {
      // A link that connects again replaces its old socket, which may not know yet that it is
      // gone: two sockets of one viewer id would detach each other's viewer.
      for (const old of io.sockets.sockets.values())
        if (old !== socket && old.data.viewerId === viewerId) old.disconnect(true);
      // Console output is broadcast to viewer ids as rooms: a link's viewer id is not its socket id.
      void socket.join(viewerId);
    }
    const ctx = { socket, audit: deps.audit };
    // A console link from another host's daemon does consoles only.
    if (socket.data.relayedFrom) return handleConsoleEvents(socket, deps);
    // Each is checked against its rule (socket-table.ts) before it runs.
    onEvent(
      ctx,
      "guests:watch",
      () => void socket.join(guestListScope(user) === "all" ? "guests:all" : `guests:owner:${user.id}`),
    );
    onEvent(ctx, "metrics:watch", () => void socket.join("metrics"));
    onEvent(ctx, "metrics:unwatch", () => void socket.leave("metrics"));
    onEvent(ctx, "images:watch", () => void socket.join("images"));
    handleConsoleEvents(socket, deps);
  });

  log.info("socket.io ready", { origins: deps.config.webOrigins });
  return io;
}

// setTimeout's longest delay (about 24.8 days); a later expiry is checked again then.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** A socket opened with an expiring API token ends when the token does. */
function closeAtExpiry(socket: Socket, expiresAt: Date | null | undefined): void {
  if (!expiresAt) return;
  const left = expiresAt.getTime() - Date.now();
  const timer = setTimeout(
    () => (left > LONGEST_TIMER_MS ? closeAtExpiry(socket, expiresAt) : socket.disconnect(true)),
    Math.min(Math.max(left, 0), LONGEST_TIMER_MS),
  );
  timer.unref();
  socket.once("disconnect", () => clearTimeout(timer));
}
