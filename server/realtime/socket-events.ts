import type { Socket } from "socket.io";
import { ACTIONS, can, isGuestScoped } from "../../lib/shared/permissions";
import type { ClientToServerEvents } from "../../lib/shared/protocol";
import type { AuditLog } from "../audit/audit-log";
import { NO_SUCH_GUEST } from "../errors";
import type { GuestPlace } from "../hosts/guest-host";
import { logger } from "../log";
import type { SocketData } from "./socket-auth";
import { SOCKET_EVENTS } from "./socket-table";

const log = logger("realtime");

export type Reply = (r: { ok: true; [k: string]: unknown } | { ok: false; error: string }) => void;
/**
 * A handler may return a detail for the audit entry of an audited event, or RELAYED when
 * another host's daemon did it (that daemon records the entry: console-relay.ts).
 */
export const RELAYED = Symbol("relayed");
type Outcome = void | string | typeof RELAYED;
type Handler<P> = (payload: P, reply: Reply) => Outcome | Promise<Outcome>;
/** A guest's owner, and its host when looked up (an attachment knows its host already). */
type Owned = { ownerId: string | null } & Partial<Pick<GuestPlace, "hostId" | "host">>;
/**
 * How an event that acts on a guest finds that guest's owner: a guest, null when there is
 * no such guest, or a refusal to send as it is (e.g. "Attach to the console first.").
 */
export type GuestOf<P> = (payload: P) => Owned | null | string | Promise<Owned | null | string>;

export interface EventContext {
  socket: Socket;
  audit: AuditLog;
}

/**
 * Listens for one client event, checked against its rule in SOCKET_EVENTS before the
 * handler runs: the payload, then the permission — for a guest action against the guest
 * `guestOf` finds, where a guest this person may not see answers exactly as one that does
 * not exist. Whatever the client sends (nothing, a non-object, extra arguments, an
 * acknowledgement callback or none), an acknowledgement it asked for is answered exactly
 * once: by the handler, with the error that stopped it, or — a handler that returned without
 * answering — with { ok: true }.
 */
export function onEvent<P = unknown>(
  { socket, audit }: EventContext,
  event: keyof ClientToServerEvents,
  handle: Handler<P>,
  guestOf?: GuestOf<P>,
): void {
  const rule = SOCKET_EVENTS[event];
  const scoped = rule.access !== "signed-in" && isGuestScoped(rule.access);
  if (scoped && !guestOf) throw new Error(`${event} acts on a guest: register it with a way to find that guest`);
  const data = socket.data as SocketData;
  const record = (target: string | null, outcome: "ok" | "denied", detail?: string) =>
    rule.audit && void audit.record({ actor: data.user, ip: data.ip, action: rule.audit, target, outcome, detail });

  (socket as unknown as { on(e: string, fn: (...args: unknown[]) => void): void }).on(event, (...args) => {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as (r: unknown) => void) : undefined;
    let answered = false;
    const reply: Reply = (r) => {
      if (answered || !ack) return;
      answered = true;
      ack(r);
    };
    const refuse = (error: string) => reply({ ok: false, error });
    if (rule.payload === null) {
      if (args.length > 0) return refuse(`${event} takes no payload, only an acknowledgement.`);
      return void run(undefined as P);
    }
    if (args.length !== 1) return refuse(`${event} takes one payload, an object; it got ${args.length}.`);
    const parsed = rule.payload.safeParse(args[0]);
    if (!parsed.success)
      return refuse(
        parsed.error.issues
          .map((i) => i.message)
          .join(" ")
          .slice(0, 500),
      );
    return void run(parsed.data as P);

    async function run(payload: P): Promise<void> {
      const target = (payload as { guestId?: string } | undefined)?.guestId ?? null;
      try {
        const refusal = await authorize(payload);
        if (refusal !== null) {
          if (refusal.audited) record(target, "denied", refusal.reason);
          return refuse(refusal.message);
        }
        const detail = await handle(payload, reply);
        if (detail !== RELAYED) record(target, "ok", detail ?? undefined);
        reply({ ok: true });
      } catch (err) {
        log.error(`${event} failed`, { err: err instanceof Error ? err.stack : String(err) });
        refuse("The host daemon failed to handle this; its log has the details.");
      }
    }

    async function authorize(payload: P): Promise<{ message: string; reason?: string; audited: boolean } | null> {
      const user = data.user;
      if (rule.access === "signed-in") return null;
      let guest: Owned | undefined;
      if (scoped) {
        const found = await guestOf!(payload);
        if (typeof found === "string") return { message: found, audited: false };
        // Not theirs to see: no different from no guest at all (the reason goes to the audit trail only).
        if (!found || !can(user, "guest.read", found))
          return {
            message: NO_SUCH_GUEST,
            reason: found ? `${user.role} may not see this guest` : undefined,
            audited: !!found,
          };
        guest = found;
      }
      if (!can(user, rule.access, guest)) {
        const readOnly = user.scope === "read" && can({ ...user, scope: "role" }, rule.access, guest);
        const who = readOnly ? "This API token is read-only: it" : `Your role (${user.role})`;
        return { message: `${who} may not ${ACTIONS[rule.access]}.`, audited: true };
      }
      return null;
    }
  });
}
