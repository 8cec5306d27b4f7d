// Emptying a host in maintenance: its daemon moves each of its stopped guests, one at a
// time, to the host placement would choose for it now (placement.ts), and says of each
// guest what became of it. Running guests stay (they must be stopped first); a guest that
// fails to move stays whole here.
import type { EvacuationEntry, EvacuationResult } from "../../lib/shared/protocol";
import { parseGuestKind } from "../../lib/shared/stored";
import type { SessionUser } from "../auth/sessions";
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db";
import { conflict, CorralError } from "../errors";
import { fleetActorOf } from "./fleet-actor";
import type { ThisHost } from "./guest-host";
import type { GuestMigrations } from "./guest-migration";
import { chooseHost, readPlacementHosts } from "./placement";

export interface EvacuationDeps {
  db: Db;
  here: ThisHost;
  migrations: GuestMigrations;
  audit: AuditLog;
}

/** Moves this host's stopped guests away, as `actor` (signed in from `ip`); each move is audited as guest.migrate. */
export async function evacuateHost(
  deps: EvacuationDeps,
  actor: SessionUser,
  ip: string | null,
): Promise<EvacuationResult> {
  const { db, here, migrations, audit } = deps;
  const row = await db.host.findUnique({ where: { id: here.id }, select: { maintenance: true } });
  if (!row?.maintenance)
    throw conflict(
      `Host ${here.name} is not in maintenance. Put it in maintenance first, so no new guests land on it while it empties.`,
    );
  const guests = await db.guest.findMany({
    where: { hostId: here.id },
    select: { id: true, name: true, state: true, kind: true, memoryMiB: true, imageId: true },
    orderBy: { name: "asc" },
  });
  const entries: EvacuationEntry[] = [];
  for (const g of guests) {
    const entry = (e: Omit<EvacuationEntry, "guestId" | "guestName">) =>
      entries.push({ guestId: g.id, guestName: g.name, ...e });
    if (g.state !== "stopped" && g.state !== "crashed") {
      entry({ outcome: "stays", reason: `it is ${g.state}: stop it, then evacuate again` });
      continue;
    }
    const hosts = (await readPlacementHosts(db)).filter((h) => h.id !== here.id);
    const pick = chooseHost(hosts, { memoryMiB: g.memoryMiB, kind: parseGuestKind(g.kind), imageId: g.imageId });
    if (!pick.host) {
      entry({ outcome: "stays", reason: `no other host can take it: ${pick.reasons.join("; ") || "there is none"}` });
      continue;
    }
    const record = (outcome: "ok" | "failed", detail: string) =>
      audit.record({ actor, ip, action: "guest.migrate", target: g.id, outcome, detail });
    try {
      await migrations.migrate(g.id, pick.host.id, fleetActorOf(actor, ip));
      await record("ok", `${here.name} → ${pick.host.name} (evacuation)`);
      entry({ outcome: "moved", hostName: pick.host.name });
    } catch (err) {
      const reason = err instanceof CorralError ? err.message : String(err);
      await record("failed", `${here.name} → ${pick.host.name} (evacuation): ${reason}`);
      entry({ outcome: "failed", hostName: pick.host.name, reason });
    }
  }
  return { hostName: here.name, guests: entries };
}
