import { parse as parseCookie } from "hono/utils/cookie";
import { SESSION_COOKIE, sessionIdFor } from "../../lib/server/session-token";
import { bearerToken, type ApiTokens } from "../auth/api-tokens";
import { resolveSession, type SessionUser } from "../auth/sessions";
import type { Db } from "../db";
import { findFleetActor } from "../hosts/fleet-actor";
import type { FleetPasses } from "../hosts/fleet-pass";

export interface SocketData {
  user: SessionUser;
  /** The session's id, or `token:<id>` for a socket opened with an API token. */
  sessionId: string;
  ip: string | null;
  /** When the API token that opened it expires: the socket is closed then. */
  expiresAt?: Date | null;
  /**
   * A console link from another host's daemon (console-relay.ts): that host's id, and the
   * viewer it carries — the person's socket there, the same across the link's reconnects.
   */
  relayedFrom?: string;
  viewerId?: string;
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
  fleet: FleetPasses | null,
  { headers, auth, address }: Handshake,
): Promise<SocketData | { refused: string }> {
  if (auth?.fleet !== undefined) return fleetLink(db, fleet, auth.fleet);
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

/** Another daemon's console link, signed in as the person its fleet pass names. */
async function fleetLink(db: Db, fleet: FleetPasses | null, pass: unknown): Promise<SocketData | { refused: string }> {
  const refuse = (why: string) => ({ refused: `a console link from another Corral host was refused: ${why}` });
  if (!fleet) return refuse("this host has no CORRAL_FLEET_SECRET");
  if (typeof pass !== "string") return refuse("its fleet pass is malformed");
  const claims = fleet.check(pass, { socket: true });
  if (typeof claims === "string") return refuse(claims);
  const user = await findFleetActor(db, claims);
  if (typeof user === "string") return refuse(user);
  const viewerId = `${claims.from}.${claims.socket!.viewer}`;
  return { user, sessionId: `fleet:${viewerId}`, ip: claims.ip, relayedFrom: claims.from, viewerId };
}
