// The receiving side of a relayed request: the person a checked fleet pass names, as this
// daemon knows them now (their current role; a disabled account is refused), with the
// scope they signed in with on the issuing host. Authorization then happens here, as for
// anyone signed in here (route-table.ts, socket-events.ts).
import { parseRole } from "../../lib/shared/stored";
import type { SessionUser } from "../auth/sessions";
import type { Db } from "../db";
import type { FleetClaims, FleetActor } from "./fleet-pass";

/** The acting person of `claims`, or why they cannot act. */
export async function findFleetActor(db: Db, claims: FleetClaims): Promise<SessionUser | string> {
  const u = await db.user.findUnique({
    where: { id: claims.user },
    select: { id: true, username: true, role: true, disabled: true },
  });
  if (!u || u.disabled) return "the person it names has no enabled account";
  const user: SessionUser = { id: u.id, username: u.username, role: parseRole(u.role), scope: claims.scope };
  if (claims.tokenId) user.tokenId = claims.tokenId;
  return user;
}

/** What a pass says about `actor`, the person acting here, signed in from `ip`. */
export function fleetActorOf(actor: SessionUser, ip: string | null): FleetActor {
  return { user: actor.id, scope: actor.scope ?? "role", ...(actor.tokenId ? { tokenId: actor.tokenId } : {}), ip };
}
