import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../../lib/server/session-token";
import type { RequestMeta } from "../auth/user-service";
import { resolveSession, type SessionUser } from "../auth/sessions";
import type { Config } from "../config";
import type { Db } from "../db";
import { forbidden } from "../errors";

export type AppEnv = {
  Variables: {
    actor: SessionUser | null;
    meta: RequestMeta;
    token: string | undefined;
    /** What an audited request acted on, when it is not the `:id` in its path (e.g. a new guest). */
    auditTarget?: string;
  };
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * Where a request came from. Behind the web's /api relay (on loopback) the browser's
 * address is in X-Forwarded-For; from anywhere else that header is the caller's claim and
 * is ignored.
 */
function clientAddress(c: Context): string | null {
  const peer = getConnInfo(c).remote.address ?? null;
  const forwarded = c.req.header("x-forwarded-for");
  if (peer && LOOPBACK.has(peer) && forwarded) return forwarded.split(",")[0].trim();
  return peer;
}

/** Resolves the signed-in user from the session cookie (null when there is none). */
export function sessionContext(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set("token", token);
    c.set("actor", await resolveSession(db, token));
    c.set("meta", { ip: clientAddress(c), userAgent: c.req.header("user-agent") ?? null });
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
