import { guestFilterWhere } from "../../lib/server/reads/guests";
import { GUEST_ACTIONS } from "../../lib/shared/guest-actions";
import { can } from "../../lib/shared/permissions";
import {
  BULK_MAX,
  bulkRequestSchema,
  type BulkAction,
  type BulkResponse,
  type BulkResult,
  type GuestFilter,
} from "../../lib/shared/protocol";
import { parseGuestState } from "../../lib/shared/stored";
import type { AuditLog } from "../audit/audit-log";
import type { RequestMeta } from "../auth/user-service";
import type { SessionUser } from "../auth/sessions";
import type { Db } from "../db";
import { conflict, conflictFromUniqueViolation, CorralError, invalid, NO_SUCH_GUEST, parseInput } from "../errors";
import { logger } from "../log";
import type { GuestCatalog } from "./guest-catalog";
import { findGuestPlace, type ThisHost } from "../hosts/guest-host";
import { fleetActorOf } from "../hosts/fleet-actor";
import { runsElsewhere, type HostRelay } from "../hosts/host-relay";
import type { GuestLifecycle } from "./guest-lifecycle";

const log = logger("guests");

/** Guests acted on at once: enough to overlap database and keeper round trips, few enough to leave the host its cores. */
const PARALLEL = 4;

export interface BulkDeps {
  db: Db;
  guests: GuestLifecycle;
  catalog: GuestCatalog;
  audit: AuditLog;
  here: ThisHost;
  relay: HostRelay;
  /** Another host's daemon sent this bulk action: a guest of a third host is not passed on again. */
  relayed: boolean;
}

/**
 * One action on many guests, each authorized, done and audited exactly as its single-guest
 * route would: a guest the person may not see is "No such guest" like a made-up id, and one
 * guest's refusal (its state, a quota) does not stop the others.
 */
export async function runBulk(
  deps: BulkDeps,
  actor: SessionUser,
  meta: RequestMeta,
  body: unknown,
): Promise<BulkResponse> {
  const input = parseInput(bulkRequestSchema, body);
  const ids = "ids" in input ? input.ids : await idsMatching(deps.db, actor, input.filter);
  const results: BulkResult[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      results[i] = await actOnOne(deps, actor, meta, input.action, ids[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, worker));
  const succeeded = results.filter((r) => r.ok).length;
  log.info("bulk action", { action: input.action, guests: ids.length, succeeded, by: actor.username });
  return { action: input.action, results, succeeded, refused: results.length - succeeded };
}

/** The guests `actor` may see that `filter` matches, by name; refused when more than one action takes. */
async function idsMatching(db: Db, actor: SessionUser, filter: GuestFilter): Promise<string[]> {
  const where = guestFilterWhere(actor, filter);
  const rows = await db.guest.findMany({ where, select: { id: true }, orderBy: { name: "asc" }, take: BULK_MAX + 1 });
  if (rows.length > BULK_MAX) {
    const total = await db.guest.count({ where });
    throw invalid(
      `This filter shows ${total} guests; one bulk action takes at most ${BULK_MAX}. Narrow the filter and repeat.`,
    );
  }
  return rows.map((r) => r.id);
}

async function actOnOne(
  { db, guests, catalog, audit, here, relay, relayed }: BulkDeps,
  actor: SessionUser,
  meta: RequestMeta,
  action: BulkAction,
  id: string,
): Promise<BulkResult> {
  const permission = GUEST_ACTIONS.find((a) => a.action === action)!.permission;
  const record = (outcome: "ok" | "denied" | "failed", detail: string) =>
    audit.record({ actor, ip: meta.ip, action: `guest.${action}`, target: id, outcome, detail });
  const guest = await findGuestPlace(db, id);
  if (!guest) return refused(id, null, "not-found", NO_SUCH_GUEST);
  if (!can(actor, "guest.read", guest)) {
    // As the single-guest route: recorded as denied, answered as if it did not exist.
    await record("denied", `bulk: ${actor.role} may not act on another's guest`);
    return refused(id, null, "not-found", NO_SUCH_GUEST);
  }
  if (!can(actor, permission, guest)) {
    const message = `Your role (${actor.role}) may not ${action === "delete" ? "delete" : "start or stop"} guests.`;
    await record("denied", `bulk: ${message}`);
    return refused(id, guest.name, "forbidden", message);
  }
  try {
    // As the single-guest route: another host's guest is acted on (and audited) by its host.
    if (runsElsewhere(guest, here)) {
      if (relayed)
        throw conflict(`This guest runs on host ${guest.host?.name ?? "another host"}, not on host ${here.name}.`);
      return await relayOne(relay, guest.hostId!, actor, meta, action, id);
    }
    let state = null;
    if (action === "delete") await catalog.remove(id);
    else state = parseGuestState((await guests.act(id, action)).state);
    await record("ok", "bulk");
    return { id, name: guest.name, ok: true, state };
  } catch (raw) {
    const err = conflictFromUniqueViolation(raw) ?? raw;
    const message = err instanceof Error ? err.message : String(err);
    await record("failed", `bulk: ${message}`);
    if (err instanceof CorralError) return refused(id, guest.name, err.kind, message);
    log.error("bulk action failed", { action, id, err: message });
    return refused(id, guest.name, "failed", `Something went wrong: ${message}`);
  }
}

/** One guest's bulk action, done by the daemon of host `hostId`: its result as it gives it. */
async function relayOne(
  relay: HostRelay,
  hostId: string,
  actor: SessionUser,
  meta: RequestMeta,
  action: BulkAction,
  id: string,
): Promise<BulkResult> {
  const body = new TextEncoder().encode(JSON.stringify({ action, ids: [id] }));
  const res = await relay.send(hostId, fleetActorOf(actor, meta.ip), {
    method: "POST",
    path: "/api/guests/bulk",
    body,
  });
  const answer = (await res.json().catch(() => null)) as
    (BulkResponse & { error?: { code: string; message: string } }) | null;
  if (res.ok && answer?.results?.length === 1) return answer.results[0];
  const error = answer?.error ?? { code: "failed", message: `The guest's host answered ${res.status}.` };
  return refused(id, null, error.code, error.message);
}

function refused(id: string, name: string | null, code: string, message: string): BulkResult {
  return { id, name, ok: false, code, message };
}
