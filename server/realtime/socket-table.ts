import type { z } from "zod";
import type { Action } from "../../lib/shared/permissions";
import {
  consoleAckSchema,
  consoleAttachSchema,
  consoleDetachSchema,
  consoleGuestSchema,
  consoleInputSchema,
  consoleResizeSchema,
  type ClientToServerEvents,
} from "../../lib/shared/protocol";

export interface SocketEventRule {
  /** The permission it needs; for guest actions, checked against the guest it names. */
  access: Action | "signed-in";
  /** What it takes besides an acknowledgement (null: nothing). */
  payload: z.ZodType | null;
  /** The audit event to record, allowed or denied. */
  audit?: string;
}

/**
 * Every client event with the permission it needs and the payload it takes. Events are
 * registered only through `onEvent` (socket-events.ts), which checks both from here before
 * a handler runs, so none can exist without them; the permission matrix and the fuzz suite
 * walk this table.
 */
export const SOCKET_EVENTS: Record<keyof ClientToServerEvents, SocketEventRule> = {
  "guests:watch": { access: "guests.list", payload: null },
  "metrics:watch": { access: "metrics.read", payload: null },
  "metrics:unwatch": { access: "signed-in", payload: null },
  "images:watch": { access: "images.builds", payload: null },
  "console:attach": { access: "console.watch", payload: consoleAttachSchema, audit: "console.attach" },
  "console:ack": { access: "console.watch", payload: consoleAckSchema },
  "console:detach": { access: "console.watch", payload: consoleDetachSchema, audit: "console.detach" },
  "console:input": { access: "console.type", payload: consoleInputSchema },
  "console:resize": { access: "console.type", payload: consoleResizeSchema },
  "console:take-control": { access: "console.type", payload: consoleGuestSchema, audit: "console.take-control" },
};
