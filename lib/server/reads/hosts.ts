// The fleet's hosts as people see them — one read for the web's Hosts page and the daemon's
// GET /api/hosts. Every signed-in person may see them (host.read).
import { hostReachable } from "../../shared/host-reach";
import type { FleetHostView } from "../../shared/protocol";
import type { Db } from "../database";

/** Every host of the fleet, by name; one silent for three of its heartbeats is unreachable. */
export async function listHosts(db: Db, now = new Date()): Promise<FleetHostView[]> {
  const rows = await db.host.findMany({ orderBy: { name: "asc" } });
  return rows.map((h) => ({
    ...h,
    status: hostReachable(h, now) ? "up" : "unreachable",
    startedAt: h.startedAt.toISOString(),
    lastSeenAt: h.lastSeenAt.toISOString(),
  }));
}
