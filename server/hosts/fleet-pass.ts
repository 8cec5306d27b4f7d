// How daemons of one fleet trust each other: a request one daemon relays to another (an
// action on a guest that host runs, a console link) carries a pass — who acts, for which
// host, what exactly it may do, when it was issued — signed with HMAC-SHA256 under the
// fleet's shared secret (CORRAL_FLEET_SECRET). The receiving daemon checks the pass and then
// authorizes the person named in it itself, as if they had signed in there.
//
// A pass is refused when its signature is wrong (another secret, or edited), when it names
// another host, when it is stale (issued more than WINDOW_MS from the receiver's clock:
// hosts' clocks must agree that well), when it was seen before (replayed within the window),
// or when it was issued for another request (method, path or body). Neither the secret nor a
// pass is ever logged or audited.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { ThisHost } from "./guest-host";

export const FLEET_HEADER = "x-corral-fleet";
export const WINDOW_MS = 30_000;
const MAX_PASS_CHARS = 4096;
const DOMAIN = "corral-fleet-pass-v1\n";

const id = z.string().min(1).max(64);
const claimsSchema = z.strictObject({
  v: z.literal(1),
  /** Issuing host's id, and the only host that may accept it. */
  from: id,
  to: id,
  /** The person acting, the scope they signed in with, and their address as the issuer saw it. */
  user: id,
  scope: z.enum(["role", "read"]),
  tokenId: id.optional(),
  ip: z.string().max(100).nullable(),
  iat: z.number().int(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** One HTTP request (its body's sha256, hex; of nothing when it has none), or one console link. */
  http: z
    .strictObject({ method: z.string().max(10), path: z.string().max(4000), body: z.string().length(64) })
    .optional(),
  socket: z.strictObject({ viewer: id }).optional(),
});
export type FleetClaims = z.infer<typeof claimsSchema>;
export type PassUse = { http: NonNullable<FleetClaims["http"]> } | { socket: NonNullable<FleetClaims["socket"]> };
/** What a daemon passes on about the person who asked. */
export interface FleetActor {
  user: string;
  scope: "role" | "read";
  tokenId?: string;
  ip: string | null;
}

/**
 * Who a pass names when a daemon asks for itself, for no person (an image file it copies):
 * never a user's id (those are cuids), so a route for people refuses it as signed out.
 */
export const DAEMON_ACTOR: FleetActor = { user: "~daemon", scope: "read", ip: null };
export const isDaemonPass = (claims: Pick<FleetClaims, "user">) => claims.user === DAEMON_ACTOR.user;

export const bodyDigest = (bytes: Uint8Array = new Uint8Array(0)) => createHash("sha256").update(bytes).digest("hex");

export class FleetPasses {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly here: ThisHost,
    private readonly now: () => number = Date.now,
  ) {}

  /** A pass for host `to` to let `actor` do `use` (one request, or one console link). */
  issue(to: string, actor: FleetActor, use: PassUse): string {
    const claims: FleetClaims = {
      v: 1,
      from: this.here.id,
      to,
      user: actor.user,
      scope: actor.scope,
      ...(actor.tokenId ? { tokenId: actor.tokenId } : {}),
      ip: actor.ip,
      iat: this.now(),
      nonce: randomBytes(18).toString("base64url"),
      ...use,
    };
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  /** The pass's claims when it lets this host do `use`; else why not, as the refusal says it. */
  check(pass: string, use: { http: { method: string; path: string } } | { socket: true }): FleetClaims | string {
    if (pass.length > MAX_PASS_CHARS) return "the fleet pass is too long";
    const [body, mac, extra] = pass.split(".");
    if (!body || !mac || extra !== undefined) return "the fleet pass is malformed";
    const want = Buffer.from(this.sign(body));
    const got = Buffer.from(mac);
    if (got.length !== want.length || !timingSafeEqual(got, want))
      return "the fleet pass's signature is wrong: the hosts do not share one CORRAL_FLEET_SECRET";
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return "the fleet pass is malformed";
    }
    const r = claimsSchema.safeParse(parsed);
    if (!r.success) return "the fleet pass is malformed";
    const claims = r.data;
    if (claims.to !== this.here.id) return `the fleet pass names another host, not ${this.here.name}`;
    const now = this.now();
    if (Math.abs(now - claims.iat) > WINDOW_MS)
      return `the fleet pass is stale (issued ${Math.round((now - claims.iat) / 1000)} s from this host's clock; the hosts' clocks must agree within ${WINDOW_MS / 1000} s)`;
    if ("http" in use) {
      if (!claims.http || claims.http.method !== use.http.method || claims.http.path !== use.http.path)
        return "the fleet pass was issued for another request";
    } else if (!claims.socket) return "the fleet pass was not issued for a console link";
    if (this.seen.has(claims.nonce)) return "the fleet pass was used before (a replay)";
    this.remember(claims.nonce, now);
    return claims;
  }

  private sign(body: string): string {
    return createHmac("sha256", this.secret).update(DOMAIN).update(body).digest("base64url");
  }

  /** Nonces are kept as long as their pass could still be accepted (arrival order ≈ issue order). */
  private remember(nonce: string, now: number): void {
    for (const [old, at] of this.seen) {
      if (now - at <= 2 * WINDOW_MS) break;
      this.seen.delete(old);
    }
    this.seen.set(nonce, now);
  }
}
