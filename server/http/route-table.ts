import type { Context, Handler, Hono } from "hono";
import { z } from "zod";
import { ACTIONS, can, isGuestScoped, type Action } from "../../lib/shared/permissions";
import { guestIdSchema } from "../../lib/shared/protocol";
import { zodFields } from "../../lib/shared/zod-fields";
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db";
import { actsOnHost, findGuestPlace, type GuestPlace, type ThisHost } from "../hosts/guest-host";
import { runsElsewhere, type HostRelay } from "../hosts/host-relay";
import {
  conflictFromUniqueViolation,
  CorralError,
  forbidden,
  invalid,
  NO_SUCH_GUEST,
  notFound,
  unauthenticated,
} from "../errors";
import { HELD_HEADER } from "../../lib/shared/held-answer";
import { errorResponse } from "./errors";
import { heldKeepalive, heldResponse } from "./held-answer";
import type { AppEnv } from "./request-context";
import { NO_BODY, refuseUnfitBody, type BodyRule } from "./request-body";

/**
 * "fleet": only another daemon of the fleet, with a fleet pass naming a person who may move guests.
 * "daemon": only another daemon of the fleet asking for itself (a daemon's fleet pass); no person, whatever their role.
 */
export type Access = Action | "public" | "signed-in" | "fleet" | "daemon";
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface RouteSpec {
  method: Method;
  path: string;
  access: Access;
  /** What body the route takes and how large (none unless it says). */
  body: BodyRule;
  /** The query parameters it takes (none unless it says): anything else is refused. */
  query: z.ZodType;
}

export interface RouteOptions {
  body?: BodyRule;
  query?: z.ZodType;
  /** The audit event of a route that changes something. */
  audit?: string | ((c: Context<AppEnv>) => string);
  /** A read that needs the guest's own host (a file on its disk, its live console): relayed there like every action. */
  onHost?: boolean;
  /**
   * Long work (a migration, an evacuation): a request asking for a held answer gets it
   * (http/held-answer.ts), and the route is asked for one when relayed to another host.
   */
  long?: boolean;
  /** Another host's daemon may pass this (non-guest) route on to this one, for the person who asked there. */
  relayable?: boolean;
  /**
   * How a guest-scoped route's authorization reads the guest `:id` names, when its handler
   * needs more of it than the checks do (the handler gets the row as `c.get("guest")`):
   * one read where two were.
   */
  readGuest?: (c: Context<AppEnv>, id: string) => Promise<GuestPlace | null>;
}

const NO_QUERY = z.strictObject({});

/**
 * Every API route is added through here with the permission it needs, the body it takes
 * (and its bound) and the query it takes, so none can exist without them: the test matrix
 * and the fuzz suite walk `specs`, and a test checks that Hono knows no route missing from
 * it. Guest-scoped actions look up the guest named by `:id` and its owner before the
 * handler runs; a guest the person may not see answers exactly as one that does not exist.
 *
 * In order: the body's declared size and type (before sign-in, so a stranger's huge body
 * costs nothing), sign-in and permission, the query, then the handler, which reads the
 * body through `jsonBody` within the bound. `audit` names the event to record for a route
 * that changes something; the outcome (ok, failed with the error, or denied) is recorded.
 *
 * A guest another host runs is acted on there: once this daemon has checked the person, the
 * request goes to that host's daemon (hosts/host-relay.ts), which checks again, acts and
 * records the entry; this daemon records only a relay that failed.
 */
export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly db: Db,
    private readonly audit: AuditLog,
    /** This daemon's host (read when a request comes: the table is built before it is known in tests). */
    private readonly here: () => ThisHost,
    private readonly relay: () => HostRelay,
  ) {}

  add(method: Method, path: string, access: Access, handler: Handler<AppEnv>, options: RouteOptions = {}): void {
    const spec: RouteSpec = { method, path, access, body: options.body ?? NO_BODY, query: options.query ?? NO_QUERY };
    const audit = typeof options.audit === "string" ? () => options.audit as string : options.audit;
    this.specs.push(spec);
    this.app.on(method, path, async (c, next) => {
      const record = (outcome: "ok" | "denied" | "failed", detail?: string) =>
        audit &&
        this.audit.record({
          actor: c.get("actor"),
          ip: c.get("meta").ip,
          action: audit(c),
          target: c.get("auditTarget") ?? c.req.param("id") ?? null,
          outcome,
          detail: detail ?? c.get("auditDetail"),
        });
      await refuseUnfitBody(c, spec.body);
      let guest: GuestPlace | undefined;
      try {
        guest = await this.authorize(c, access, options);
        c.set("guest", guest);
      } catch (err) {
        if (err instanceof CorralError && (err.kind === "forbidden" || err.kind === "conflict"))
          await record("denied", err.message);
        if (err instanceof Invisible) {
          await record("denied", err.reason);
          throw notFound(NO_SUCH_GUEST);
        }
        throw err;
      }
      const act = async (): Promise<Response> => {
        try {
          c.set("query", parseQuery(spec.query, c.req.query()));
          const onHost = isAction(access) && (actsOnHost(access) || options.onHost);
          if (guest && onHost && runsElsewhere(guest, this.here()))
            return await this.relay().forward(c, guest, options.long === true);
          const res = await handler(c, next);
          if (!c.get("relayedTo")) await record("ok");
          return res as Response;
        } catch (raw) {
          const err = conflictFromUniqueViolation(raw) ?? raw;
          await record("failed", err instanceof Error ? err.message : String(err));
          throw err;
        }
      };
      const keepalive = options.long ? heldKeepalive(c.req.header(HELD_HEADER)) : null;
      if (keepalive === null) return act();
      return heldResponse(() => act().catch((err) => errorResponse(err, c)), keepalive);
    });
  }

  /** Checks the person; returns the guest `:id` names for a guest-scoped route. */
  private async authorize(c: Context<AppEnv>, access: Access, options: RouteOptions): Promise<GuestPlace | undefined> {
    const routeRelayable = options.relayable === true;
    if (access === "daemon") {
      if (c.get("fromDaemon")) return;
      if (!c.get("actor"))
        throw unauthenticated(c.get("tokenRefusal") ?? "Only Corral's daemons may use this, with a fleet pass.");
      throw forbidden("Only Corral's daemons may use this (with a fleet pass), whatever a person's role.");
    }
    // Another host's daemon passes on only what acts on or reads one of this host's guests.
    if (c.get("relayedFrom") && access !== "fleet" && (!isAction(access) || !(relayable(access) || routeRelayable)))
      throw forbidden("Only requests about guests are relayed between hosts; ask this host's daemon directly.");
    if (access === "public") return;
    const actor = c.get("actor");
    if (!actor) throw unauthenticated(c.get("tokenRefusal"));
    if (access === "fleet") {
      if (!c.get("relayedFrom"))
        throw forbidden(
          "Only another Corral host's daemon may use this route (it moves a guest's files between hosts).",
        );
      if (!can({ ...actor, scope: "role" }, "guest.migrate") || actor.scope === "read")
        throw forbidden(`Your role (${actor.role}) may not ${ACTIONS["guest.migrate"]}.`);
      return;
    }
    let guest: GuestPlace | undefined;
    if (access !== "signed-in" && isGuestScoped(access)) {
      const id = guestIdSchema.safeParse(c.req.param("id"));
      const read = options.readGuest ?? ((_c, id: string) => findGuestPlace(this.db, id));
      guest = (id.success && (await read(c, id.data))) || undefined;
      if (!guest) throw notFound(NO_SUCH_GUEST);
      // Not theirs to see (a developer and another's guest): no different from no guest.
      if (!can(actor, "guest.read", guest)) throw new Invisible(`${actor.role} may not ${describe(access)}`);
    }
    if (access !== "signed-in" && !can({ ...actor, scope: "role" }, access, guest))
      throw forbidden(`Your role (${actor.role}) may not ${describe(access)}.`);
    // A read-only token does only what changes nothing (the permission table says which),
    // and never through a method other than GET, the one the daemon keeps free of changes.
    const readOnly = actor.scope === "read";
    if (readOnly && (c.req.method !== "GET" || (access !== "signed-in" && !can(actor, access, guest))))
      throw forbidden(READ_ONLY(access));
    return guest;
  }
}

/**
 * What another host's daemon may relay here: a guest's own routes, one guest's bulk action
 * (guest-bulk.ts), a new guest it placed on this host (hosts/placement.ts), and evacuating
 * this host (its own daemon moves its guests: hosts/evacuation.ts).
 */
const relayable = (a: Action) =>
  isGuestScoped(a) || a === "guests.bulk" || a === "guest.create" || a === "hosts.manage";

const isAction = (a: Access): a is Action => a !== "public" && a !== "signed-in" && a !== "fleet" && a !== "daemon";

/** A refusal that must look like "not found"; `reason` goes to the audit trail only. */
class Invisible extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function parseQuery(schema: z.ZodType, query: Record<string, string>): unknown {
  const r = schema.safeParse(query);
  if (r.success) return r.data;
  const unknown = r.error.issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys : []));
  if (unknown.length) {
    const names = unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40)));
    throw invalid(`This request takes no query parameter ${names.join(", ")}; leave it out.`);
  }
  throw invalid("Some query parameters need attention.", zodFields(r.error));
}

const READ_ONLY = (a: Access) =>
  `This API token is read-only: it may not ${a === "signed-in" ? "change anything" : ACTIONS[a as Action]}. Use a token with your role's scope.`;

const developersOwn = (a: Action) => isGuestScoped(a) && can({ id: "-", role: "developer" }, a, { ownerId: "-" });
const describe = (a: Action) => ACTIONS[a] + (developersOwn(a) ? " (developers: only their own guests)" : "");
