import type { Context, Handler, Hono } from "hono";
import { ACTIONS, can, isGuestScoped, type Action } from "../../lib/shared/permissions";
import { guestIdSchema } from "../../lib/shared/protocol";
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db";
import { CorralError, forbidden, notFound, unauthenticated } from "../errors";
import type { AppEnv } from "./request-context";

export type Access = Action | "public" | "signed-in";
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface RouteSpec {
  method: Method;
  path: string;
  access: Access;
}

/**
 * Every API route is added through here with the permission it needs, so none can exist
 * without one: the test matrix walks `specs` (every route × every role × own/foreign guest)
 * and also checks that Hono knows no route missing from it. Guest-scoped actions look up
 * the guest named by `:id` and its owner before the handler runs.
 *
 * `audit` names the event to record for a route that changes something; the outcome (ok,
 * failed with the error, or denied) is recorded either way.
 */
export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  add(
    method: Method,
    path: string,
    access: Access,
    handler: Handler<AppEnv>,
    audit?: (c: Context<AppEnv>) => string,
  ): void {
    this.specs.push({ method, path, access });
    this.app.on(method, path, async (c, next) => {
      const record = (outcome: "ok" | "denied" | "failed", detail?: string) =>
        audit &&
        this.audit.record({
          actor: c.get("actor"),
          ip: c.get("meta").ip,
          action: audit(c),
          target: c.get("auditTarget") ?? c.req.param("id") ?? null,
          outcome,
          detail,
        });
      try {
        await this.authorize(c, access);
      } catch (err) {
        if (err instanceof CorralError && err.kind === "forbidden") await record("denied", err.message);
        throw err;
      }
      try {
        const res = await handler(c, next);
        await record("ok");
        return res;
      } catch (err) {
        await record("failed", err instanceof Error ? err.message : String(err));
        throw err;
      }
    });
  }

  private async authorize(c: Context<AppEnv>, access: Access): Promise<void> {
    if (access === "public") return;
    const actor = c.get("actor");
    if (!actor) throw unauthenticated();
    if (access === "signed-in") return;
    let guest: { ownerId: string | null } | undefined;
    if (isGuestScoped(access)) {
      const id = guestIdSchema.safeParse(c.req.param("id"));
      guest =
        (id.success && (await this.db.guest.findUnique({ where: { id: id.data }, select: { ownerId: true } }))) ||
        undefined;
      if (!guest) throw notFound("No such guest. It may have been deleted.");
    }
    if (!can(actor, access, guest)) throw forbidden(`Your role (${actor.role}) may not ${describe(access)}.`);
  }
}

const describe = (a: Action) => ACTIONS[a] + (isGuestScoped(a) ? " (developers: only their own guests)" : "");
