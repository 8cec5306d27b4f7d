import { parse as parseCookie } from "hono/utils/cookie";
import { SESSION_COOKIE, sessionIdFor } from "../../lib/server/session-token";
import { bearerToken, type ApiTokens } from "../auth/api-tokens";
import { resolveSession, type SessionUser } from "../auth/sessions";
import type { Db } from "../db";

export interface SocketData {
  user: SessionUser;
  /** The session's id, or `token:<id>` for a socket opened with an API token. */
  sessionId: string;
  ip: string | null;
  /** When the API token that opened it expires: the socket is closed then. */
  expiresAt?: Date | null;
}

export interface Handshake {
  headers: { cookie?: string; authorization?: string; "x-forwarded-for"?: string | string[] };
  auth?: Record<string, unknown>;
  address?: string;
}

/**
 * The same sign-in as the API: an API token — `Authorization: Bearer` (extraHeaders, for
 * clients that may set headers) or `auth: { token }` (browsers' WebSocket cannot) — or else
 * the session cookie sent with the WebSocket handshake. A token that does not sign anyone in
 * is refused with its reason, never passed over for the cookie.
 */
export async function authenticateSocket(
  db: Db,
  tokens: ApiTokens,
  { headers, auth, address }: Handshake,
): Promise<SocketData | { refused: string }> {
  const ip = address ?? null;
  const given = bearerToken(headers.authorization) ?? (typeof auth?.token === "string" ? auth.token : undefined);
  if (given !== undefined) {
    const r = await tokens.resolve(given, { ip, userAgent: null });
    if (!r.ok) return { refused: r.message };
    return { user: r.user, sessionId: `token:${r.user.tokenId}`, ip, expiresAt: r.expiresAt };
  }
  const token = headers.cookie ? parseCookie(headers.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  const user = await resolveSession(db, token);
  if (!user || !token) return { refused: "sign in again" };
  return { user, sessionId: sessionIdFor(token), ip };
}
