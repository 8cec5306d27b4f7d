import type { Socket } from "socket.io";
import type { ClientToServerEvents } from "../../lib/shared/protocol";
import { logger } from "../log";
import { SOCKET_EVENT_PAYLOAD } from "./socket-auth";

const log = logger("realtime");

export type Reply = (r: { ok: true; [k: string]: unknown } | { ok: false; error: string }) => void;
type Handler<P> = (payload: P, reply: Reply) => void | Promise<void>;

/**
 * Listens for one client event. Whatever the client sends — nothing, a non-object, extra
 * arguments, an acknowledgement callback or none — the payload is checked against
 * SOCKET_EVENT_PAYLOAD first, and an acknowledgement, when the client asked for one, is
 * answered exactly once: by the handler, with the error that stopped it, or — a handler
 * that returned without answering — with { ok: true }.
 */
export function onEvent<P = unknown>(socket: Socket, event: keyof ClientToServerEvents, handle: Handler<P>): void {
  const schema = SOCKET_EVENT_PAYLOAD[event];
  (socket as unknown as { on(e: string, fn: (...args: unknown[]) => void): void }).on(event, (...args) => {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as (r: unknown) => void) : undefined;
    let answered = false;
    const reply: Reply = (r) => {
      if (answered || !ack) return;
      answered = true;
      ack(r);
    };
    const refuse = (error: string) => reply({ ok: false, error });
    if (schema === null) {
      if (args.length > 0) return refuse(`${event} takes no payload, only an acknowledgement.`);
      return run(undefined as P);
    }
    if (args.length !== 1) return refuse(`${event} takes one payload, an object; it got ${args.length}.`);
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success)
      return refuse(
        parsed.error.issues
          .map((i) => i.message)
          .join(" ")
          .slice(0, 500),
      );
    return run(parsed.data as P);

    function run(payload: P): void {
      Promise.resolve()
        .then(() => handle(payload, reply))
        // A handler that returned without answering succeeded.
        .then(() => reply({ ok: true }))
        .catch((err) => {
          log.error(`${event} failed`, { err: err instanceof Error ? err.stack : String(err) });
          refuse("The host daemon failed to handle this; its log has the details.");
        });
    }
  });
}
