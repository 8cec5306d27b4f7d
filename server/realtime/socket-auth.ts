import { parse as parseCookie } from "hono/utils/cookie";
import type { Action } from "../../lib/shared/permissions";
import type { ClientToServerEvents } from "../../lib/shared/protocol";
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
