import type { Socket } from "socket.io";
import type { z } from "zod";
import type {
  consoleAckSchema,
  consoleAttachSchema,
  consoleGuestSchema,
  consoleInputSchema,
  consoleResizeSchema,
  ClientToServerEvents,
  ServerToClientEvents,
} from "../../lib/shared/protocol";
import { can } from "../../lib/shared/permissions";
import type { AuditLog } from "../audit/audit-log";
import type { ConsoleHub } from "../consoles/console-hub";
import type { SharedConsole } from "../consoles/shared-console";
import type { Db } from "../db";
import { findGuestPlace, type ThisHost } from "../hosts/guest-host";
import type { SocketData } from "./socket-auth";
import { onEvent, type GuestOf } from "./socket-events";

type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
type Attachment = { console: SharedConsole; ownerId: string | null };

/**
 * The console events of one socket. Holds only which consoles this socket is attached to;
 * a disconnect detaches them all and never stops a guest. Who may do what is checked before
 * each handler runs (socket-table.ts): attaching looks the guest up, every later event
 * acts on an attachment and is checked against the owner found then — no database read
 * per keystroke.
 */
export function handleConsoleEvents(
  socket: CorralSocket,
  deps: { db: Db; consoles: ConsoleHub; audit: AuditLog; here: ThisHost },
): void {
  const attached = new Map<string, Attachment>();
  const viewerId = socket.id;
  const user = socket.data.user;
  const ctx = { socket, audit: deps.audit, here: deps.here };
  const byId: GuestOf<{ guestId: string }> = (p) => findGuestPlace(deps.db, p.guestId);
  const fromAttachment: GuestOf<{ guestId: string }> = (p) => attached.get(p.guestId) ?? "Attach to the console first.";
  const attachmentOf = (guestId: string) => attached.get(guestId)!.console;

  onEvent<z.infer<typeof consoleAttachSchema>>(
    ctx,
    "console:attach",
    async (p, reply) => {
      const guest = (await deps.db.guest.findUnique({ where: { id: p.guestId }, select: { ownerId: true } }))!;
      const canType = can(user, "console.type", guest) && !p.watch;
      const shared = await deps.consoles.open(p.guestId);
      attached.set(p.guestId, { console: shared, ownerId: guest.ownerId });
      const attachment = shared.attach({
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
      if (canType && p.cols && p.rows) shared.resize(viewerId, p.cols, p.rows);
      reply({ ok: true, ...attachment });
      return canType ? "may type" : "watch only";
    },
    byId,
  );

  onEvent<z.infer<typeof consoleInputSchema>>(
    ctx,
    "console:input",
    (p, reply) => {
      const refusal = attachmentOf(p.guestId).input(viewerId, p.data);
      if (refusal) reply({ ok: false, error: refusal });
    },
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleResizeSchema>>(
    ctx,
    "console:resize",
    (p) => attachmentOf(p.guestId).resize(viewerId, p.cols, p.rows),
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleAckSchema>>(
    ctx,
    "console:ack",
    (p) => attachmentOf(p.guestId).ack(viewerId, p.seq),
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleGuestSchema>>(
    ctx,
    "console:take-control",
    (p) => attachmentOf(p.guestId).takeControl(viewerId),
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleGuestSchema>>(
    ctx,
    "console:detach",
    (p) => {
      attachmentOf(p.guestId).detach(viewerId);
      attached.delete(p.guestId);
    },
    fromAttachment,
  );

  socket.on("disconnect", () => {
    for (const [guestId, a] of attached) {
      a.console.detach(viewerId);
      void deps.audit.record({
        actor: user,
        ip: socket.data.ip,
        action: "console.detach",
        target: guestId,
        outcome: "ok",
        detail: "disconnected",
      });
    }
    attached.clear();
  });
}
