import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../../lib/server/session-token";
import type { RequestMeta } from "../auth/user-service";
import { bearerToken, type ApiTokens } from "../auth/api-tokens";
import { resolveSession, type SessionUser } from "../auth/sessions";
import type { Config } from "../config";
import type { Db } from "../db";
import type { GuestPlace } from "../hosts/guest-host";
import { forbidden, unauthenticated } from "../errors";
import { findFleetActor } from "../hosts/fleet-actor";
import { FLEET_HEADER, isDaemonPass, type FleetPasses } from "../hosts/fleet-pass";
import { RELAY_HEADER, relaySecretMatches } from "./relay-secret";
import type { BodyRule } from "./request-body";

export type AppEnv = {
  Variables: {
    actor: SessionUser | null;
    meta: RequestMeta;
    /** The session cookie's token (none for a request signed in with an API token). */
    token: string | undefined;
    /** Why the request's API token signed nobody in (expired, revoked, …): the 401's message. */
    tokenRefusal?: string;
    /** What an audited request acted on, when it is not the `:id` in its path (e.g. a new guest). */
    auditTarget?: string;
    /** The route's body bound (route-table.ts), and whether the body was read to its end. */
    bodyRule?: BodyRule;
    bodyRead?: boolean;
    /** The query string as the route's schema parsed it. */
    query?: unknown;
    /** A request another host's daemon relayed (a checked fleet pass): that host's id, and the body's digest the pass names. */
    relayedFrom?: string;
    fleetBody?: string;
    /** The pass was a daemon's own (no person): see hosts/fleet-pass.ts DAEMON_ACTOR. */
    fromDaemon?: boolean;
    /** This request was passed on to that host's daemon, which records it in the audit trail. */
    relayedTo?: string;
    /** The guest `:id` names, as the route's authorization read it (route-table.ts). */
    guest?: GuestPlace;
    /** What an audited request's entry says beyond its action and target (e.g. "on"/"off"). */
    auditDetail?: string;
  };
};

/**
 * Where a request came from. Behind Corral's own web server the browser's address is in
 * X-Forwarded-For, and the relay proves it is Corral's by the secret the two share
 * (relay-secret.ts); from any other caller — another local process included — that
 * header is a claim and is ignored.
 */
function clientAddress(c: Context, relaySecret: string): string | null {
  const peer = getConnInfo(c).remote.address ?? null;
  const forwarded = c.req.header("x-forwarded-for")?.split(",")[0].trim();
  if (forwarded && relaySecretMatches(c.req.header(RELAY_HEADER), relaySecret)) return forwarded.slice(0, 100);
  return peer;
}

/**
 * Resolves the signed-in user: from an `Authorization: Bearer` API token when the request
 * carries one (then the cookie is not consulted: a bad token is refused, not passed over),
 * else from the session cookie; null when there is neither.
 */
export function sessionContext(
  db: Db,
  tokens: ApiTokens,
  relaySecret: string,
  fleet: FleetPasses | null,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const pass = c.req.header(FLEET_HEADER);
    if (pass !== undefined) return relayedContext(c, db, fleet, pass).then(() => next());
    const meta = { ip: clientAddress(c, relaySecret), userAgent: c.req.header("user-agent")?.slice(0, 200) ?? null };
    c.set("meta", meta);
    const bearer = bearerToken(c.req.header("authorization"));
    if (bearer !== undefined) {
      const r = await tokens.resolve(bearer, meta);
      c.set("token", undefined);
      c.set("actor", r.ok ? r.user : null);
      if (!r.ok) c.set("tokenRefusal", r.message);
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      c.set("token", token);
      c.set("actor", await resolveSession(db, token));
    }
    await next();
  };
}

/**
 * A request another daemon of the fleet relayed: signed in as the person its pass names
 * (hosts/fleet-pass.ts), from the address the issuing daemon saw; the body is checked
 * against the pass when it is read (request-body.ts). Anything wrong with the pass is a 401.
 */
async function relayedContext(c: Context<AppEnv>, db: Db, fleet: FleetPasses | null, pass: string): Promise<void> {
  const refuse = (why: string) => unauthenticated(`Refused a request relayed from another Corral host: ${why}.`);
  if (!fleet) throw refuse("this host has no CORRAL_FLEET_SECRET, so it accepts no relayed requests");
  const url = new URL(c.req.url);
  const claims = fleet.check(pass, { http: { method: c.req.method, path: url.pathname + url.search } });
  if (typeof claims === "string") throw refuse(claims);
  c.set("relayedFrom", claims.from);
  c.set("fleetBody", claims.http!.body);
  // A daemon asking for itself is nobody signed in: only routes for daemons answer it (route-table.ts).
  if (isDaemonPass(claims)) {
    c.set("meta", { ip: null, userAgent: null });
    c.set("token", undefined);
    c.set("actor", null);
    c.set("fromDaemon", true);
    return;
  }
  const actor = await findFleetActor(db, claims);
  if (typeof actor === "string") throw refuse(actor);
  c.set("meta", { ip: claims.ip, userAgent: c.req.header("user-agent")?.slice(0, 200) ?? null });
  c.set("token", undefined);
  c.set("actor", actor);
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: a request that changes something must come from one of Corral's own pages. Browsers
 * always send Origin on such requests (and the /api relay passes it on), so a missing or
 * foreign Origin is refused. The session cookie is SameSite=Lax on top of this. A request
 * signed with an API token (scripts, the CLI: no Origin) needs no such proof: a browser
 * never adds an Authorization header by itself, and a page on another origin cannot add one
 * to a request here without CORS, which the daemon does not grant. Nor does a request with
 * neither Origin nor a cookie (the CLI signing in, POST /api/auth/token): it is not a
 * browser's, and it carries no credential for anyone to have forged.
 */
export function originCheck(config: Config): MiddlewareHandler<AppEnv> {
  const allowed = new Set(config.webOrigins);
  return async (c, next) => {
    const signedWithToken = bearerToken(c.req.header("authorization")) !== undefined;
    const origin = c.req.header("origin");
    const notBrowser = origin === undefined && c.req.header("cookie") === undefined;
    if (!SAFE.has(c.req.method) && !signedWithToken && !notBrowser && !allowed.has(origin ?? "")) {
      throw forbidden("Cross-site request refused: it did not come from Corral's own pages.");
    }
    await next();
  };
}
