// Database rows as views — what the API and the pages show. Shared by the daemon and the web so
// both render a guest the same way; pure functions over Prisma's generated types.
import type { BootView, GuestView, ImageView, SnapshotView } from "./protocol";
import type { Boot, Guest, Image, PortForward, Snapshot } from "../../generated/prisma/client";
import { hostReachable, UNREACHABLE_REASON, type HostBeat } from "./host-reach";
import { guestAddressing, guestMac, type NetworkSettings } from "./network";
import {
  parseBootOutcome,
  parseGuestKind,
  parseForwardProtocol,
  parseGuestNetwork,
  parseGuestState,
  parseKernelArgs,
} from "./stored";

/** The stored analysis's brief (BootHealth); include `bootViewInclude` to have it in a view. */
type BootHealthRow = { hasFailures: boolean; regressed: boolean; problems: number; summary: string };
export type BootRow = Boot & { analysis?: BootHealthRow | null };

/** Include this in a boot query for the boot's health in its view. */
export const bootViewInclude = {
  analysis: { select: { hasFailures: true, regressed: true, problems: true, summary: true } },
};

export function toBootView(b: BootRow): BootView {
  return {
    number: b.number,
    startedAt: b.startedAt.toISOString(),
    firstOutputAt: b.firstOutputAt?.toISOString() ?? null,
    readyAt: b.readyAt?.toISOString() ?? null,
    endedAt: b.endedAt?.toISOString() ?? null,
    outcome: b.outcome === null ? null : parseBootOutcome(b.outcome),
    detail: b.detail,
    logBytes: b.logBytes,
    logTruncated: b.logTruncated,
    logPrunedAt: b.logPrunedAt?.toISOString() ?? null,
    health: b.analysis ? { ...b.analysis } : null,
  };
}

export type GuestRow = Guest & {
  image: Image;
  boots: BootRow[];
  owner: { username: string } | null;
  forwards: PortForward[];
  host: (HostBeat & { name: string }) | null;
};

/**
 * Include this in a guest query to get what toGuestView needs but `boots`, its newest boot:
 * read apart (lib/server/reads/last-boots.ts withLastBoot), since an include would read them all.
 */
export const guestViewInclude = {
  image: true,
  owner: { select: { username: true } },
  forwards: { orderBy: { hostPort: "asc" as const } },
  host: { select: { name: true, lastSeenAt: true, heartbeatSeconds: true } },
};

export function toGuestView(g: GuestRow, settings: NetworkSettings, now = new Date()): GuestView {
  const addressing = guestAddressing(g.network, g.bridgeHost, settings.bridgeCidr);
  // A silent host's guests are unknown, whatever was stored last (it is kept, not overwritten).
  const unreachable = g.host !== null && !hostReachable(g.host, now);
  return {
    id: g.id,
    name: g.name,
    kind: parseGuestKind(g.kind),
    ownerId: g.ownerId,
    ownerName: g.owner?.username ?? null,
    network: {
      mode: parseGuestNetwork(g.network),
      address: addressing?.address ?? null,
      gateway: addressing?.gateway ?? null,
      mac: g.network === "bridge" ? guestMac(g.id) : null,
      forwards: g.forwards.map((f) => ({
        protocol: parseForwardProtocol(f.protocol),
        hostAddress: settings.forwardAddress,
        hostPort: f.hostPort,
        guestPort: f.guestPort,
      })),
    },
    hasRootPassword: g.rootPasswordHash !== null,
    hasAuthorizedKeys: g.authorizedKeys !== null,
    imageId: g.imageId,
    imageName: g.image.name,
    memoryMiB: g.memoryMiB,
    kernelArgs: parseKernelArgs(g.kernelArgs),
    state: unreachable ? "unknown" : parseGuestState(g.state),
    stateReason: unreachable ? UNREACHABLE_REASON(g.host!.name) : g.stateReason,
    hostName: g.host?.name ?? null,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
    lastBoot: g.boots[0] ? toBootView(g.boots[0]) : null,
  };
}

export function toSnapshotView(s: Snapshot): SnapshotView {
  return { id: s.id, name: s.name, sizeBytes: Number(s.sizeBytes), createdAt: s.createdAt.toISOString() };
}

export type ImageRow = Image & {
  owner: { username: string } | null;
  copies: Array<{ hostId: string; state: string; copiedBytes: bigint; host: { name: string } }>;
};

/** Include this in an image query to get what toImageView needs. */
export const imageViewInclude = {
  owner: { select: { username: true } },
  copies: {
    select: { hostId: true, state: true, copiedBytes: true, host: { select: { name: true } } },
    orderBy: { host: { name: "asc" } },
  },
} as const;

/** `guestCount`: the guests on it that the reader may see. */
export function toImageView(i: ImageRow, guestCount: number): ImageView {
  return {
    id: i.id,
    name: i.name,
    sizeBytes: Number(i.sizeBytes),
    sha256: i.sha256,
    builtIn: i.builtIn,
    createdAt: i.createdAt.toISOString(),
    guestCount,
    ownerId: i.ownerId,
    ownerName: i.owner?.username ?? null,
    copies: i.copies.map((c) => ({
      hostId: c.hostId,
      hostName: c.host.name,
      state: c.state === "copying" ? "copying" : "ready",
      copiedBytes: Number(c.copiedBytes),
    })),
  };
}
