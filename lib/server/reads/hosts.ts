// The fleet's hosts as people see them — one read for the web's Hosts page, the daemon's
// GET /api/hosts and placement (server/hosts/placement.ts). Every signed-in person may see
// them (host.read); which guests a host in maintenance still runs, only those they may see.
import { hostReachable } from "../../shared/host-reach";
import { guestListScope, type Actor } from "../../shared/permissions";
import { MEMORY_HOLDING_STATES, type FleetHostView } from "../../shared/protocol";
import type { Db } from "../database";

/**
 * Every host of the fleet, by name; one silent for three of its heartbeats is unreachable.
 * With a `viewer`, each host in maintenance lists the guests it still runs that they may see.
 */
export async function listHosts(
  db: Db,
  { viewer, now = new Date() }: { viewer?: Actor; now?: Date } = {},
): Promise<FleetHostView[]> {
  const holding = { state: { in: [...MEMORY_HOLDING_STATES] } };
  const [rows, held, running, images, copies] = await Promise.all([
    db.host.findMany({ orderBy: { name: "asc" } }),
    db.guest.groupBy({ by: ["hostId"], where: holding, _sum: { memoryMiB: true } }),
    viewer
      ? db.guest.findMany({
          where: {
            ...holding,
            host: { maintenance: true },
            ...(guestListScope(viewer) === "own" ? { ownerId: viewer.id } : {}),
          },
          select: { id: true, name: true, state: true, hostId: true },
          orderBy: { name: "asc" },
        })
      : [],
    db.image.findMany({ select: { id: true } }),
    db.imageCopy.findMany({ where: { state: "ready" }, select: { imageId: true, hostId: true } }),
  ]);
  const has = new Set(copies.map((c) => `${c.hostId} ${c.imageId}`));
  const allocated = new Map(held.map((g) => [g.hostId, g._sum.memoryMiB ?? 0]));
  return rows.map((h) => {
    const guestAllocatedMiB = allocated.get(h.id) ?? 0;
    return {
      ...h,
      status: hostReachable(h, now) ? "up" : "unreachable",
      startedAt: h.startedAt.toISOString(),
      lastSeenAt: h.lastSeenAt.toISOString(),
      guestAllocatedMiB,
      guestMemoryFreeMiB: Math.max(0, h.guestMemoryMiB - guestAllocatedMiB),
      // Live from the image copies (images/image-copies.ts), not as of the host's last heartbeat.
      missingImageIds: images.filter((i) => !has.has(`${h.id} ${i.id}`)).map((i) => i.id),
      stillRunning: running
        .filter((g) => g.hostId === h.id)
        .map((g) => ({ id: g.id, name: g.name, state: g.state as FleetHostView["stillRunning"][number]["state"] })),
    };
  });
}
