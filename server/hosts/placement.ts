// Which host a new guest goes to. An admin may name one; otherwise the host with the most
// free guest memory that can run it — reachable, not in maintenance, able to run its kind,
// with room for its memory. "Free" is what the host offers guests (its CORRAL_GUEST_MEMORY_MIB,
// as it registered) less what its running guests were given: stopped guests take nothing.
// The chosen host's daemon then creates the guest with its own checks (guest-catalog.ts).
import { listHosts } from "../../lib/server/reads/hosts";
import { MISSED_HEARTBEATS } from "../../lib/shared/host-reach";
import type { Actor } from "../../lib/shared/permissions";
import type { GuestKind } from "../../lib/shared/protocol";
import type { Db } from "../db";
import { conflict, forbidden, invalid } from "../errors";
import type { ThisHost } from "./guest-host";

/** A host as placement sees it. */
export interface PlacementHost {
  id: string;
  name: string;
  reachable: boolean;
  maintenance: boolean;
  contextGuests: boolean;
  /** What it offers guests in all, and what its running guests were given. */
  guestMemoryMiB: number;
  allocatedMiB: number;
  /** The images whose files it lacked at its last heartbeat. */
  missingImageIds: string[];
}

export interface GuestNeed {
  memoryMiB: number;
  kind: GuestKind;
  imageId: string;
}

export const freeMiB = (h: PlacementHost) => Math.max(0, h.guestMemoryMiB - h.allocatedMiB);

/**
 * Why `host` cannot take a guest needing `need` now; null when it can. `copyable`: a host
 * without the image's file can get it (copied from a reachable host that has it, at create).
 */
export function hostRefusal(host: PlacementHost, need: GuestNeed, copyable = false): string | null {
  if (host.maintenance) return `host ${host.name} is in maintenance: no new guests are placed on it`;
  if (!host.reachable) return `host ${host.name} is unreachable (not heard from for ${MISSED_HEARTBEATS} heartbeats)`;
  if (need.kind === "context" && !host.contextGuests) return `host ${host.name} cannot run context guests`;
  if (!copyable && host.missingImageIds.includes(need.imageId))
    return `host ${host.name} does not have this image's file`;
  if (freeMiB(host) < need.memoryMiB)
    return `host ${host.name} has ${freeMiB(host)} MiB free for guests, less than the ${need.memoryMiB} MiB asked for`;
  return null;
}

/**
 * The host with the most free memory that can take the guest (ties by name), or why none can:
 * hosts that have the image first, then — `copyable` — those it would be copied to.
 */
export function chooseHost(
  hosts: PlacementHost[],
  need: GuestNeed,
  copyable = false,
): { host: PlacementHost; reasons?: undefined } | { host?: undefined; reasons: string[] } {
  const lacks = (h: PlacementHost) => (h.missingImageIds.includes(need.imageId) ? 1 : 0);
  const fit = hosts.filter((h) => hostRefusal(h, need, copyable) === null);
  fit.sort((x, y) => lacks(x) - lacks(y) || freeMiB(y) - freeMiB(x) || x.name.localeCompare(y.name));
  if (fit.length) return { host: fit[0] };
  return { reasons: hosts.map((h) => hostRefusal(h, need, copyable)!) };
}

/** Whether a host lacking image `imageId` can get it: daemons that trust each other, and a reachable host that has it. */
export const imageCopyable = (hosts: PlacementHost[], imageId: string, fleet: boolean) =>
  fleet && hosts.some((h) => h.reachable && !h.missingImageIds.includes(imageId));

/** Every host of the fleet as placement sees it (the Hosts page's read). */
export async function readPlacementHosts(db: Db): Promise<PlacementHost[]> {
  return (await listHosts(db)).map((h) => ({
    id: h.id,
    name: h.name,
    reachable: h.status === "up",
    maintenance: h.maintenance,
    contextGuests: h.contextGuests,
    guestMemoryMiB: h.guestMemoryMiB,
    allocatedMiB: h.guestAllocatedMiB,
    missingImageIds: h.missingImageIds,
  }));
}

/** Which hosts have image `imageId`'s file, as they last reported: for a refusal to name them. */
export function imageHoldersNote(hosts: PlacementHost[], imageId: string): string {
  const holders = hosts.filter((h) => !h.missingImageIds.includes(imageId)).map((h) => h.name);
  return holders.length
    ? `Hosts that have it: ${holders.join(", ")}. An admin can copy it to another host (Images page, "Copy to host…", or corral images copy).`
    : "No host of the fleet has reported having it.";
}

export interface PlacementRequest extends GuestNeed {
  /** The host an admin chose; undefined: Corral chooses. */
  hostId?: string;
}

const REFUSED = (reason: string, note = "") =>
  conflict(
    `The guest cannot be created there: ${reason}. ${note ? `${note} ` : ""}Choose another host, or leave the choice to Corral.`,
  );

/**
 * The host to create a guest on (its id and name), for `actor`. `relayed`: another daemon placed it here
 * already, so here it goes (if this host still can take it). `fleet`: whether this daemon
 * can pass a create to another host's daemon at all; without it, or with one host, a guest
 * goes where it always went — this host — unless it is in maintenance.
 */
export async function placeGuest(
  db: Db,
  here: ThisHost,
  actor: Actor,
  req: PlacementRequest,
  { relayed, fleet }: { relayed: boolean; fleet: boolean },
): Promise<ThisHost> {
  if (req.hostId !== undefined && actor.role !== "admin")
    throw forbidden("Only admins choose which host a guest runs on. Leave the host out and Corral chooses one.");
  // Alone (no fleet secret, no choice made): only whether this host is in maintenance matters.
  if (!fleet && req.hostId === undefined && !relayed) {
    const row = await db.host.findUnique({ where: { id: here.id }, select: { maintenance: true } });
    if (row?.maintenance) throw REFUSED(`host ${here.name} is in maintenance: no new guests are placed on it`);
    return here;
  }
  const hosts = await readPlacementHosts(db);
  const self = hosts.find((h) => h.id === here.id);
  if (!self) throw new Error(`this host (${here.name}) is not registered`);
  if (req.hostId !== undefined || relayed) {
    const chosen = hosts.find((h) => h.id === (req.hostId ?? here.id));
    if (!chosen) throw invalid("Unknown host.", { hostId: "No host with this id; choose one from the Hosts page." });
    if (relayed && chosen.id !== here.id)
      throw conflict(`Host ${here.name} was sent a guest meant for host ${chosen.name}; create it there.`);
    const reason = hostRefusal(chosen, req, imageCopyable(hosts, req.imageId, fleet));
    if (reason)
      throw REFUSED(reason, chosen.missingImageIds.includes(req.imageId) ? imageHoldersNote(hosts, req.imageId) : "");
    return chosen;
  }
  if (hosts.length === 1) {
    if (self.maintenance) throw REFUSED(hostRefusal(self, req)!);
    return self;
  }
  const pick = chooseHost(hosts, req, imageCopyable(hosts, req.imageId, fleet));
  if (pick.host) return pick.host;
  const lacking = hosts.some((h) => h.missingImageIds.includes(req.imageId));
  throw conflict(
    `No host can take this guest now: ${pick.reasons.join("; ")}. ${lacking ? `${imageHoldersNote(hosts, req.imageId)} ` : ""}` +
      `Ask an admin to make room.`,
  );
}
