import { parse as parseCookie } from "hono/utils/cookie";
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
import { SESSION_COOKIE, sessionIdFor } from "../../lib/server/session-token";
import { resolveSession, type SessionUser } from "../auth/sessions";
import type { Db } from "../db";

export interface SocketData {
  user: SessionUser;
  sessionId: string;
  ip: string | null;
}

/**
 * The permission each client event needs — the socket half of the test matrix walks this.
 * Console events are checked against the guest's owner when the console is attached.
 */
export const SOCKET_EVENT_ACCESS: Record<keyof ClientToServerEvents, Action | "signed-in"> = {
  "guests:watch": "guests.list",
  "metrics:watch": "metrics.read",
  "metrics:unwatch": "signed-in",
  "console:attach": "console.watch",
  "console:ack": "console.watch",
  "console:detach": "console.watch",
  "console:input": "console.type",
  "console:resize": "console.type",
  "console:take-control": "console.type",
  "images:watch": "images.manage",
};

/**
 * The payload each client event takes (null: none, only an acknowledgement). Every event is
 * checked against this before its handler runs (socket-events.ts); the fuzz suite walks it.
 */
export const SOCKET_EVENT_PAYLOAD: Record<keyof ClientToServerEvents, z.ZodType | null> = {
  "guests:watch": null,
  "metrics:watch": null,
  "metrics:unwatch": null,
  "console:attach": consoleAttachSchema,
  "console:ack": consoleAckSchema,
  "console:detach": consoleDetachSchema,
  "console:input": consoleInputSchema,
  "console:resize": consoleResizeSchema,
  "console:take-control": consoleGuestSchema,
  "images:watch": null,
};

/** The same sign-in as the web: the session cookie, sent with the WebSocket handshake. */
export async function authenticateSocket(
  db: Db,
  headers: { cookie?: string; "x-forwarded-for"?: string | string[] },
  peer: string | undefined,
): Promise<SocketData | null> {
  const token = headers.cookie ? parseCookie(headers.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  const user = await resolveSession(db, token);
  if (!user || !token) return null;
  return { user, sessionId: sessionIdFor(token), ip: peer ?? null };
}
