import fs from "node:fs";
import { contextPaths } from "../lxc/lxc-paths";
import { treeBytes } from "../lxc/upper-layer";
import path from "node:path";
import type { QuotaView, UsageView } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { insufficient } from "../errors";
import { allocatedBytes } from "../storage/disk-files";
import { writeGuestDisk } from "./guest-disk-rows";
import { guestPaths } from "../uml/paths";

const MiB = 1024 * 1024;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Disk a guest's changes occupy: its COW layer and its snapshots, as allocated; null if its
 * files are not on this host (another host of the fleet runs it).
 */
async function measureGuestDisk(config: Config, guestId: string): Promise<number | null> {
  const p = guestPaths(config.dataDir, config.runDir, guestId);
  // One listing of the guest's folder says which layers exist. Most guests have no snapshots
  // and no context guest's layer, and looking for each in vain (a thrown error apiece) cost
  // more than the measuring, for every guest every minute.
  const names = await fs.promises.readdir(p.dir).catch(() => null);
  if (!names) return null;
  const here = new Set(names);
  const present = (file: string) => path.dirname(file) !== p.dir || here.has(path.basename(file));
  const snaps = path.join(p.dir, "snapshots");
  const files = present(snaps) ? await fs.promises.readdir(snaps).catch(() => [] as string[]) : [];
  const cow = present(p.cow) ? [p.cow] : [];
  const layers = await Promise.all([...cow, ...files.map((f) => path.join(snaps, f))].map(allocatedBytes));
  // A context guest's writable layer is a folder tree (server/lxc/upper-layer.ts), absent for UML guests.
  const upper = contextPaths(config.dataDir, guestId).upper;
  return sum(layers) + (present(upper) ? await treeBytes(upper) : 0);
}

export async function guestDiskBytes(config: Config, guestId: string): Promise<number> {
  return (await measureGuestDisk(config, guestId)) ?? 0;
}

/**
 * Measures the disk of the guests whose files are on this host and records it
 * (`GuestDisk`), so other hosts' daemons count it in quotas; returns the bytes by guest.
 */
export async function recordGuestDisk(config: Config, db: Db, guestIds: string[]): Promise<Map<string, number>> {
  const bytes = await Promise.all(guestIds.map((id) => measureGuestDisk(config, id)));
  const measured = new Map<string, number>();
  for (const [k, id] of guestIds.entries()) if (bytes[k] !== null) measured.set(id, bytes[k]);
  await writeGuestDisk(
    db,
    [...measured].map(([guestId, b]) => ({ guestId, bytes: b })),
    new Date(),
  );
  return measured;
}

/**
 * What counts against a developer's quota: their guests and the memory given to them, and
 * on disk — as allocated, so sparse files count what they really hold — their guests'
 * changes and snapshots and the images they committed. The guests whose files are on this
 * host are measured now; those another host of the fleet runs count what their host last
 * recorded (its heartbeat measures them: hosts/host-registry.ts). Boot logs do not count:
 * each guest's are bounded by CORRAL_GUEST_LOGS_MAX_MIB instead (see server/boots/).
 */
export async function usageOf(config: Config, db: Db, userId: string): Promise<UsageView> {
  const [guests, images] = await Promise.all([
    db.guest.findMany({
      where: { ownerId: userId },
      select: { id: true, memoryMiB: true, disk: { select: { bytes: true } } },
    }),
    db.image.findMany({ where: { ownerId: userId }, select: { path: true, sizeBytes: true } }),
  ]);
  const measured = await recordGuestDisk(
    config,
    db,
    guests.map((g) => g.id),
  );
  const disk = [
    ...guests.map((g) => measured.get(g.id) ?? Number(g.disk?.bytes ?? 0)),
    // A committed image's file where it was made, else its size (it is no sparser elsewhere).
    ...(await Promise.all(images.map(async (i) => (await allocatedBytes(i.path)) || Number(i.sizeBytes)))),
  ];
  return {
    guests: guests.length,
    memoryMiB: sum(guests.map((g) => g.memoryMiB)),
    diskMiB: Math.ceil(sum(disk) / MiB),
    images: images.length,
  };
}

/** What a quota is decided from: a user's role and limits. */
export interface QuotaUser {
  username: string;
  role: string;
  maxGuests: number | null;
  maxMemoryMiB: number | null;
  maxDiskMiB: number | null;
}

export function quotaOf(config: Config, user: Omit<QuotaUser, "username">): QuotaView | null {
  if (user.role !== "developer") return null;
  return {
    maxGuests: user.maxGuests ?? config.defaultQuota.maxGuests,
    maxMemoryMiB: user.maxMemoryMiB ?? config.defaultQuota.maxMemoryMiB,
    maxDiskMiB: user.maxDiskMiB ?? config.defaultQuota.maxDiskMiB,
  };
}

/**
 * Refuses a change that would take a developer past a quota: `delta` is what the change
 * adds. Admins (and guests from before accounts) have no quota. `owner`: the owner's row if
 * the caller read it already (read here otherwise).
 */
export async function checkQuota(
  config: Config,
  db: Db,
  ownerId: string | null,
  delta: { guests?: number; memoryMiB?: number; diskMiB?: number },
  owner?: QuotaUser | null,
): Promise<void> {
  if (!ownerId) return;
  const user = owner ?? (await db.user.findUnique({ where: { id: ownerId } }));
  const quota = user && quotaOf(config, user);
  if (!quota) return;
  const usage = await usageOf(config, db, ownerId);
  const over: string[] = [];
  if (delta.guests && usage.guests + delta.guests > quota.maxGuests) {
    over.push(`guests: ${usage.guests} of ${quota.maxGuests} used`);
  }
  if (delta.memoryMiB && usage.memoryMiB + delta.memoryMiB > quota.maxMemoryMiB) {
    over.push(`memory: ${usage.memoryMiB} of ${quota.maxMemoryMiB} MiB allocated, this needs ${delta.memoryMiB} more`);
  }
  if (delta.diskMiB !== undefined && usage.diskMiB + delta.diskMiB > quota.maxDiskMiB) {
    over.push(
      `disk: ${usage.diskMiB} of ${quota.maxDiskMiB} MiB used${delta.diskMiB ? `, this needs ${delta.diskMiB} more` : ""}`,
    );
  }
  if (over.length) {
    throw insufficient(
      `Over ${user!.username}'s quota (${over.join("; ")}). Free something up or ask an admin for more.`,
    );
  }
}
