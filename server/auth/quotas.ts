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

/** Disk a guest's changes occupy: its COW layer and its snapshots, as allocated. */
export async function guestDiskBytes(config: Config, guestId: string): Promise<number> {
  const p = guestPaths(config.dataDir, config.runDir, guestId);
  const snaps = path.join(p.dir, "snapshots");
  const files = await fs.promises.readdir(snaps).catch(() => [] as string[]);
  const layers = await Promise.all([p.cow, ...files.map((f) => path.join(snaps, f))].map(allocatedBytes));
  // A context guest's writable layer is a folder tree (server/lxc/upper-layer.ts), absent for UML guests.
  return sum(layers) + (await treeBytes(contextPaths(config.dataDir, guestId).upper));
}

/** Whether this host holds guest `guestId`'s files (a guest another host runs has none here). */
const filesHere = (config: Config, guestId: string) =>
  fs.promises.access(guestPaths(config.dataDir, config.runDir, guestId).dir).then(
    () => true,
    () => false,
  );

/**
 * Measures the disk of the guests whose files are on this host and records it
 * (`GuestDisk`), so other hosts' daemons count it in quotas; returns the bytes by guest.
 */
export async function recordGuestDisk(config: Config, db: Db, guestIds: string[]): Promise<Map<string, number>> {
  const measured = new Map<string, number>();
  const here = await Promise.all(guestIds.map((id) => filesHere(config, id)));
  const local = guestIds.filter((_, k) => here[k]);
  const bytes = await Promise.all(local.map((id) => guestDiskBytes(config, id)));
  const measuredAt = new Date();
  const recorded = await db.guestDisk.findMany({ where: { guestId: { in: local } } });
  const before = new Map(recorded.map((r) => [r.guestId, Number(r.bytes)]));
  const changed: Array<{ guestId: string; bytes: number }> = [];
  for (const [k, id] of local.entries()) {
    measured.set(id, bytes[k]);
    if (before.get(id) !== bytes[k]) changed.push({ guestId: id, bytes: bytes[k] });
  }
  await writeGuestDisk(db, changed, measuredAt);
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
