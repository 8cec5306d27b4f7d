import type { Socket } from "socket.io";
import type { z } from "zod";
import {
  consoleAckSchema,
  consoleAttachSchema,
  consoleDetachSchema,
  consoleGuestSchema,
  consoleInputSchema,
  consoleResizeSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "../../lib/protocol";
import type { ConsoleHub, GuestConsole } from "../consoles/console-hub";
import type { Db } from "../db";

type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Reply = (r: { ok: false; error: string }) => void;

function parse<T extends z.ZodType>(schema: T, payload: unknown, ack?: Reply): z.infer<T> | null {
  const r = schema.safeParse(payload);
  if (r.success) return r.data;
  ack?.({ ok: false, error: r.error.issues.map((i) => i.message).join(" ") });
  return null;
}

/**
 * The console events of one socket. Holds only which consoles this socket is attached to;
 * a disconnect detaches them all and never stops a guest.
 */
export function handleConsoleEvents(socket: CorralSocket, deps: { db: Db; consoles: ConsoleHub }): void {
  const attached = new Map<string, GuestConsole>();
  const viewerId = socket.id;

  socket.on("console:attach", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const p = parse(consoleAttachSchema, payload, ack);
    if (!p) return;
    const guest = await deps.db.guest.findUnique({ where: { id: p.guestId }, select: { id: true } });
    if (!guest) return ack({ ok: false, error: "No such guest. It may have been deleted." });
    const gc = await deps.consoles.open(p.guestId);
    attached.set(p.guestId, gc);
    const reply = gc.attach({
      id: viewerId,
      name: p.name ?? `viewer ${viewerId.slice(0, 4)}`,
      resume: p.resume,
      transport: {
        data: (e) => socket.emit("console:data", e),
        snapshot: (e) => socket.emit("console:snapshot", e),
        viewers: (e) => socket.emit("console:viewers", e),
      },
    });
    if (p.cols && p.rows) gc.resize(viewerId, p.cols, p.rows);
    ack({ ok: true, ...reply });
  });

  socket.on("console:input", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : undefined;
    const p = parse(consoleInputSchema, payload, reply);
    if (!p) return;
    const gc = attached.get(p.guestId);
    const refusal = gc ? gc.input(viewerId, p.data) : "Attach to the console before typing.";
    reply?.(refusal ? { ok: false, error: refusal } : { ok: true });
  });

  socket.on("console:resize", (payload) => {
    const p = parse(consoleResizeSchema, payload);
    if (p) attached.get(p.guestId)?.resize(viewerId, p.cols, p.rows);
  });

  socket.on("console:ack", (payload) => {
    const p = parse(consoleAckSchema, payload);
    if (p) attached.get(p.guestId)?.ack(viewerId, p.seq);
  });

  socket.on("console:take-control", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : undefined;
    const p = parse(consoleGuestSchema, payload, reply);
    if (!p) return;
    const gc = attached.get(p.guestId);
    if (!gc) return reply?.({ ok: false, error: "Attach to the console first." });
    gc.takeControl(viewerId);
    reply?.({ ok: true });
  });

  socket.on("console:detach", (payload) => {
    const p = parse(consoleDetachSchema, payload);
    if (!p) return;
    attached.get(p.guestId)?.detach(viewerId);
    attached.delete(p.guestId);
  });

  socket.on("disconnect", () => {
    for (const gc of attached.values()) gc.detach(viewerId);
    attached.clear();
  });
}
