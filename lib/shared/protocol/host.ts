// The host: what the daemon reports about the machine guests run on.
import { z } from "zod";
import type { GuestState } from "./guests";

export const hostIdSchema = z.string().regex(/^[a-z0-9]{1,40}$/, "Not a host id: choose a host from the list.");

/** PATCH /api/hosts/:id (admins): put a host in maintenance, or take it out. */
export const editHostSchema = z.strictObject({
  maintenance: z.boolean({ error: "Say true (in maintenance: no new guests) or false." }),
});

export interface HostView {
  kernelVersion: string;
  memoryTotalMiB: number;
  /** The most memory one guest may be given on this host right now. */
  guestMemoryMaxMiB: number;
  /** The host bridge guests may join (null: bridge networking is not enabled). */
  bridge: { name: string; cidr: string } | null;
  /** Why Debian images cannot be built here (not root, debootstrap missing); null when they can. */
  debianBuildsUnavailable: string | null;
}

/**
 * The daemon's event-loop delay since sampling began or was reset (admins; for benches):
 * how late a timer due now would run, in milliseconds (0: the loop was free).
 */
export interface EventLoopDelayView {
  sinceMs: number;
  samples: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A host of the fleet, as its daemon registered it (GET /api/hosts). Times are ISO 8601. */
export interface FleetHostView {
  id: string;
  name: string;
  /** Where its daemon is reached. */
  address: string;
  cores: number;
  memoryMiB: number;
  diskFreeMiB: number;
  kernel: string;
  version: string;
  startedAt: string;
  /** Its daemon's last heartbeat, and how often it heartbeats. */
  lastSeenAt: string;
  heartbeatSeconds: number;
  /** unreachable: silent for three heartbeats (lib/shared/host-reach.ts); computed when read. */
  status: FleetHostStatus;
  /** In maintenance: no new guest is placed on it (an admin's choice; its guests run on). */
  maintenance: boolean;
  contextGuests: boolean;
  /** Memory it offers guests in all; what its running guests were given; the rest (what placement goes by). */
  guestMemoryMiB: number;
  guestAllocatedMiB: number;
  guestMemoryFreeMiB: number;
  /** The images whose files it lacks, as of its last heartbeat (images are listed fleet-wide; files are each host's). */
  missingImageIds: string[];
  /** For a host in maintenance: its guests still running (that the reader may see), to move or stop. */
  stillRunning: Array<{ id: string; name: string; state: GuestState }>;
}

export type FleetHostStatus = "up" | "unreachable";
