import { parse as parseCookie } from "hono/utils/cookie";
import { SESSION_COOKIE, sessionIdFor } from "../../lib/server/session-token";
import { resolveSession, type SessionUser } from "../auth/sessions";
import type { Db } from "../db";

export interface SocketData {
  user: SessionUser;
  sessionId: string;
  ip: string | null;
}

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
