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
import type { FleetPasses } from "../hosts/fleet-pass";
import { findGuestPlace, type ThisHost } from "../hosts/guest-host";
import { runsElsewhere } from "../hosts/host-relay";
import { ConsoleRelay, type RelayedEvent } from "./console-relay";
import type { SocketData } from "./socket-auth";
import { onEvent, RELAYED, type GuestOf, type Reply } from "./socket-events";

type CorralSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
/** A console here, or one another host runs (through `relay`, on host `hostId`). */
type Attachment = { ownerId: string | null } & ({ console: SharedConsole } | { hostId: string });

/**
 * The console events of one socket. Holds only which consoles this socket is attached to;
 * a disconnect detaches them all and never stops a guest. Who may do what is checked before
 * each handler runs (socket-table.ts): attaching looks the guest up, every later event
 * acts on an attachment and is checked against the owner found then — no database read
 * per keystroke. The console of a guest another host runs is that host's daemon's: events
 * about it are passed on (console-relay.ts), and that daemon checks and records them.
 */
export function handleConsoleEvents(
  socket: CorralSocket,
  deps: { db: Db; consoles: ConsoleHub; audit: AuditLog; here: ThisHost; fleet: FleetPasses | null },
): void {
  const attached = new Map<string, Attachment>();
  // A link from another host's daemon views as the person's socket there (socket-auth.ts).
  const viewerId = socket.data.viewerId ?? socket.id;
  const relay = new ConsoleRelay(socket, deps);
  const user = socket.data.user;
  const ctx = { socket, audit: deps.audit };
  const byId: GuestOf<{ guestId: string }> = (p) => findGuestPlace(deps.db, p.guestId);
  const fromAttachment: GuestOf<{ guestId: string }> = (p) => attached.get(p.guestId) ?? "Attach to the console first.";
  const attachmentOf = (guestId: string) => (attached.get(guestId) as { console: SharedConsole }).console;
  /** Runs `here` on a console of this host; passes the event on for one another host runs. */
  const onConsole =
    <P extends { guestId: string }>(event: RelayedEvent, here: (p: P, reply: Reply) => string | void) =>
    async (p: P, reply: Reply) => {
      const a = attached.get(p.guestId)!;
      if ("console" in a) return here(p, reply);
      if (event === "console:detach") attached.delete(p.guestId);
      const answer = await relay.forward(a.hostId, event, p);
      if (!answer.ok || event === "console:input") reply(answer);
      return RELAYED;
    };

  onEvent<z.infer<typeof consoleAttachSchema>>(
    ctx,
    "console:attach",
    async (p, reply) => {
      const guest = (await findGuestPlace(deps.db, p.guestId))!;
      if (runsElsewhere(guest, deps.here)) {
        // Never passed on twice: a link from another host names a guest this host runs.
        if (socket.data.relayedFrom) {
          reply({
            ok: false,
            error: `This guest runs on host ${guest.host?.name}, not on the host this link reached.`,
          });
          return RELAYED;
        }
        const answer = await relay.attach(guest, p);
        if (answer.ok) attached.set(p.guestId, { hostId: guest.hostId!, ownerId: guest.ownerId });
        reply(answer);
        return RELAYED;
      }
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
    onConsole("console:input", (p, reply) => {
      const refusal = attachmentOf(p.guestId).input(viewerId, p.data);
      if (refusal) reply({ ok: false, error: refusal });
    }),
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleResizeSchema>>(
    ctx,
    "console:resize",
    onConsole("console:resize", (p) => attachmentOf(p.guestId).resize(viewerId, p.cols, p.rows)),
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleAckSchema>>(
    ctx,
    "console:ack",
    onConsole("console:ack", (p) => attachmentOf(p.guestId).ack(viewerId, p.seq)),
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleGuestSchema>>(
    ctx,
    "console:take-control",
    onConsole("console:take-control", (p) => attachmentOf(p.guestId).takeControl(viewerId)),
    fromAttachment,
  );

  onEvent<z.infer<typeof consoleGuestSchema>>(
    ctx,
    "console:detach",
    onConsole("console:detach", (p) => {
      attachmentOf(p.guestId).detach(viewerId);
      attached.delete(p.guestId);
    }),
    fromAttachment,
  );

  socket.on("disconnect", () => {
    relay.close(); // the other hosts' daemons detach (and record) their viewers of this socket
    for (const [guestId, a] of attached) {
      if (!("console" in a)) continue;
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
