import type { Socket } from "socket.io";
import type { z } from "zod";
import {
  type consoleAckSchema,
  type consoleAttachSchema,
  type consoleGuestSchema,
  type consoleInputSchema,
  type consoleResizeSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "../../lib/shared/protocol";
import type { ConsoleHub, GuestConsole } from "../consoles/console-hub";
import type { Db } from "../db";
import type { AuditLog } from "../audit/audit-log";
import { can } from "../../lib/shared/permissions";
import { NO_SUCH_GUEST } from "../errors";
import type { SocketData } from "./socket-auth";
import { onEvent } from "./socket-events";

type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

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

  onEvent<z.infer<typeof consoleAttachSchema>>(socket, "console:attach", async (p, reply) => {
    const guest = await deps.db.guest.findUnique({ where: { id: p.guestId }, select: { id: true, ownerId: true } });
    // A guest this person may not watch answers as one that does not exist (no oracle).
    if (!guest) return reply({ ok: false, error: NO_SUCH_GUEST });
    if (!can(user, "console.watch", guest)) {
      record("console.attach", p.guestId, "denied");
      return reply({ ok: false, error: NO_SUCH_GUEST });
    }
    const canType = can(user, "console.type", guest);
    const gc = await deps.consoles.open(p.guestId);
    attached.set(p.guestId, { gc, canType });
    record("console.attach", p.guestId, "ok", canType ? "may type" : "watch only");
    const attachment = gc.attach({
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
    reply({ ok: true, ...attachment });
  });

  onEvent<z.infer<typeof consoleInputSchema>>(socket, "console:input", (p, reply) => {
    const refusal = typingRefused(p.guestId) ?? attached.get(p.guestId)!.gc.input(viewerId, p.data);
    reply(refusal ? { ok: false, error: refusal } : { ok: true });
  });

  onEvent<z.infer<typeof consoleResizeSchema>>(socket, "console:resize", (p, reply) => {
    const refusal = typingRefused(p.guestId);
    if (!refusal) attached.get(p.guestId)!.gc.resize(viewerId, p.cols, p.rows);
    reply(refusal ? { ok: false, error: refusal } : { ok: true });
  });

  onEvent<z.infer<typeof consoleAckSchema>>(socket, "console:ack", (p, reply) => {
    const a = attached.get(p.guestId);
    a?.gc.ack(viewerId, p.seq);
    reply(a ? { ok: true } : { ok: false, error: "Attach to the console first." });
  });

  onEvent<z.infer<typeof consoleGuestSchema>>(socket, "console:take-control", (p, reply) => {
    const refusal = typingRefused(p.guestId);
    record("console.take-control", p.guestId, refusal ? "denied" : "ok");
    if (refusal) return reply({ ok: false, error: refusal });
    attached.get(p.guestId)!.gc.takeControl(viewerId);
    reply({ ok: true });
  });

  onEvent<z.infer<typeof consoleGuestSchema>>(socket, "console:detach", (p, reply) => {
    const a = attached.get(p.guestId);
    a?.gc.detach(viewerId);
    attached.delete(p.guestId);
    if (a) record("console.detach", p.guestId, "ok");
    reply(a ? { ok: true } : { ok: false, error: "Attach to the console first." });
  });

  socket.on("disconnect", () => {
    for (const [guestId, a] of attached) {
      a.gc.detach(viewerId);
      record("console.detach", guestId, "ok", "disconnected");
    }
    attached.clear();
  });
}
