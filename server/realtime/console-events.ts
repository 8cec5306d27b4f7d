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
} from "../../lib/shared/protocol";
import type { ConsoleHub, GuestConsole } from "../consoles/console-hub";
import type { Db } from "../db";
import type { AuditLog } from "../audit/audit-log";
import { can } from "../../lib/shared/permissions";
import type { SocketData } from "./socket-auth";

type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
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
export function handleConsoleEvents(
  socket: CorralSocket,
  deps: { db: Db; consoles: ConsoleHub; audit: AuditLog },
): void {
  const attached = new Map<string, { gc: GuestConsole; canType: boolean }>();
  const viewerId = socket.id;
  const user = socket.data.user;
  const record = (action: string, target: string, outcome: "ok" | "denied", detail?: string) =>
    void deps.audit.record({ actor: user, ip: socket.data.ip, action, target, outcome, detail });
  const typingRefused = (guestId: string): string | null => {
    const a = attached.get(guestId);
    if (!a) return "Attach to the console first.";
    return a.canType ? null : `Your role (${user.role}) may watch this console but not type into it.`;
  };

  socket.on("console:attach", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const p = parse(consoleAttachSchema, payload, ack);
    if (!p) return;
    const guest = await deps.db.guest.findUnique({ where: { id: p.guestId }, select: { id: true, ownerId: true } });
    if (!guest) return ack({ ok: false, error: "No such guest. It may have been deleted." });
    if (!can(user, "console.watch", guest)) {
      record("console.attach", p.guestId, "denied");
      return ack({ ok: false, error: `Your role (${user.role}) may not watch this guest's console.` });
    }
    const canType = can(user, "console.type", guest);
    const gc = await deps.consoles.open(p.guestId);
    attached.set(p.guestId, { gc, canType });
    record("console.attach", p.guestId, "ok", canType ? "may type" : "watch only");
    const reply = gc.attach({
      id: viewerId,
      // Signed in: people appear under their own name, whatever the browser claims.
      name: user.username,
      canWrite: canType,
      resume: p.resume,
      transport: {
        data: (e) => socket.emit("console:data", e),
        snapshot: (e) => socket.emit("console:snapshot", e),
        viewers: (e) => socket.emit("console:viewers", e),
      },
    });
    if (canType && p.cols && p.rows) gc.resize(viewerId, p.cols, p.rows);
    ack({ ok: true, ...reply });
  });

  socket.on("console:input", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : undefined;
    const p = parse(consoleInputSchema, payload, reply);
    if (!p) return;
    const refusal = typingRefused(p.guestId) ?? attached.get(p.guestId)!.gc.input(viewerId, p.data);
    reply?.(refusal ? { ok: false, error: refusal } : { ok: true });
  });

  socket.on("console:resize", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : undefined;
    const p = parse(consoleResizeSchema, payload, reply);
    if (!p) return;
    const refusal = typingRefused(p.guestId);
    if (!refusal) attached.get(p.guestId)!.gc.resize(viewerId, p.cols, p.rows);
    reply?.(refusal ? { ok: false, error: refusal } : { ok: true });
  });

  socket.on("console:ack", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : undefined;
    const p = parse(consoleAckSchema, payload, reply);
    if (!p) return;
    const a = attached.get(p.guestId);
    a?.gc.ack(viewerId, p.seq);
    reply?.(a ? { ok: true } : { ok: false, error: "Attach to the console first." });
  });

  socket.on("console:take-control", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : undefined;
    const p = parse(consoleGuestSchema, payload, reply);
    if (!p) return;
    const refusal = typingRefused(p.guestId);
    record("console.take-control", p.guestId, refusal ? "denied" : "ok");
    if (refusal) return reply?.({ ok: false, error: refusal });
    attached.get(p.guestId)!.gc.takeControl(viewerId);
    reply?.({ ok: true });
  });

  socket.on("console:detach", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : undefined;
    const p = parse(consoleDetachSchema, payload, reply);
    if (!p) return;
    const a = attached.get(p.guestId);
    a?.gc.detach(viewerId);
    attached.delete(p.guestId);
    if (a) record("console.detach", p.guestId, "ok");
    reply?.(a ? { ok: true } : { ok: false, error: "Attach to the console first." });
  });

  socket.on("disconnect", () => {
    for (const [guestId, a] of attached) {
      a.gc.detach(viewerId);
      record("console.detach", guestId, "ok", "disconnected");
    }
    attached.clear();
  });
}
