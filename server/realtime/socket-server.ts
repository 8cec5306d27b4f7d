import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { z } from "zod";
import {
  consoleAttachSchema,
  consoleDetachSchema,
  consoleInputSchema,
  consoleResizeSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "../../lib/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import type { EventBus } from "../events";
import type { ConsoleHub } from "../consoles/console-hub";
import { logger } from "../log";

const log = logger("realtime");
type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Reply = (r: { ok: false; error: string }) => void;

function parse<T extends z.ZodType>(schema: T, payload: unknown, ack?: Reply): z.infer<T> | null {
  const r = schema.safeParse(payload);
  if (r.success) return r.data;
  ack?.({ ok: false, error: r.error.issues.map((i) => i.message).join(" ") });
  return null;
}

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

  deps.bus.on("guest:state", (e) => io.to("guests").emit("guest:state", e));
  deps.bus.on("guest:created", (e) => io.to("guests").emit("guest:created", e));
  deps.bus.on("guest:deleted", (e) => io.to("guests").emit("guest:deleted", e));
  deps.bus.on("metrics:sample", (e) => {
    // socket.io encodes a broadcast even for an empty room: skip it while nobody watches.
    if (io.sockets.adapter.rooms.get("metrics")?.size) io.to("metrics").emit("metrics:sample", e);
  });

  io.on("connection", (socket: CorralSocket) => {
    const attached = new Map<string, () => void>();

    socket.on("guests:watch", (ack) => {
      void socket.join("guests");
      if (typeof ack === "function") ack({ ok: true });
    });

    socket.on("metrics:watch", (ack) => {
      void socket.join("metrics");
      if (typeof ack === "function") ack({ ok: true });
    });

    socket.on("metrics:unwatch", () => void socket.leave("metrics"));

    socket.on("console:attach", async (payload, ack) => {
      if (typeof ack !== "function") return;
      const p = parse(consoleAttachSchema, payload, ack);
      if (!p) return;
      const guest = await deps.db.guest.findUnique({ where: { id: p.guestId }, select: { id: true } });
      if (!guest) return ack({ ok: false, error: "No such guest. It may have been deleted." });
      attached.get(p.guestId)?.();
      const gc = await deps.consoles.open(p.guestId);
      if (p.cols && p.rows) gc.resize(p.cols, p.rows);
      const detach = gc.attach((event) => {
        if (event.type === "snapshot") ack({ ok: true, snapshot: event.snapshot });
        else if (event.type === "output") socket.emit("console:output", { guestId: p.guestId, data: event.data });
        else socket.emit("console:boot", { guestId: p.guestId, bootNumber: event.bootNumber });
      });
      attached.set(p.guestId, detach);
    });

    socket.on("console:input", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : undefined;
      const p = parse(consoleInputSchema, payload, reply);
      if (!p) return;
      if (!attached.has(p.guestId)) return reply?.({ ok: false, error: "Attach to the console before typing." });
      if (!deps.consoles.get(p.guestId).input(p.data))
        return reply?.({ ok: false, error: "The guest is not running." });
      reply?.({ ok: true });
    });

    socket.on("console:resize", (payload) => {
      const p = parse(consoleResizeSchema, payload);
      if (p && attached.has(p.guestId)) deps.consoles.get(p.guestId).resize(p.cols, p.rows);
    });

    socket.on("console:detach", (payload) => {
      const p = parse(consoleDetachSchema, payload);
      if (!p) return;
      attached.get(p.guestId)?.();
      attached.delete(p.guestId);
    });

    socket.on("disconnect", () => {
      for (const detach of attached.values()) detach();
      attached.clear();
    });
  });

  log.info("socket.io ready", { origins: deps.config.webOrigins });
  return io;
}
