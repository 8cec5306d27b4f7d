import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../../lib/server/session-token";
import type { RequestMeta } from "../auth/user-service";
import { resolveSession, type SessionUser } from "../auth/sessions";
import type { Config } from "../config";
import type { Db } from "../db";
import { forbidden } from "../errors";
import { RELAY_HEADER, relaySecretMatches } from "./relay-secret";
import type { BodyRule } from "./request-body";

export type AppEnv = {
  Variables: {
    actor: SessionUser | null;
    meta: RequestMeta;
    token: string | undefined;
    /** What an audited request acted on, when it is not the `:id` in its path (e.g. a new guest). */
    auditTarget?: string;
    /** The route's body bound (route-table.ts), and whether the body was read to its end. */
    bodyRule?: BodyRule;
    bodyRead?: boolean;
    /** The query string as the route's schema parsed it. */
    query?: unknown;
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

/** Resolves the signed-in user from the session cookie (null when there is none). */
export function sessionContext(db: Db, relaySecret: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set("token", token);
    c.set("actor", await resolveSession(db, token));
    c.set("meta", { ip: clientAddress(c, relaySecret), userAgent: c.req.header("user-agent")?.slice(0, 200) ?? null });
    await next();
  };
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: a request that changes something must come from one of Corral's own pages. Browsers
 * always send Origin on such requests (and the /api relay passes it on), so a missing or
 * foreign Origin is refused. The session cookie is SameSite=Lax on top of this.
 */
export function originCheck(config: Config): MiddlewareHandler<AppEnv> {
  const allowed = new Set(config.webOrigins);
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !allowed.has(c.req.header("origin") ?? "")) {
      throw forbidden("Cross-site request refused: it did not come from Corral's own pages.");
    }
    await next();
  };
}
