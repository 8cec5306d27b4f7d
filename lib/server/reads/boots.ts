// A guest's boots and snapshots, read for a guest its caller already found visible
// (reads/guests.ts): the web's pages and the daemon's API alike.
import { bootNumberSchema, type BootView, type SnapshotView } from "../../shared/protocol";
import { bootViewInclude, toBootView, toSnapshotView } from "../../shared/row-views";
import type { Db } from "../database";

export async function listBoots(db: Db, guestId: string): Promise<BootView[]> {
  const rows = await db.boot.findMany({
    where: { guestId },
    orderBy: { number: "desc" },
    include: bootViewInclude,
  });
  return rows.map(toBootView);
}

/** Boot `rawNumber` of the guest; null for a malformed number or a boot it never had. */
export async function findBoot(db: Db, guestId: string, rawNumber: string | number): Promise<BootView | null> {
  const n = bootNumberSchema.safeParse(rawNumber);
  if (!n.success) return null;
  const row = await db.boot.findUnique({
    where: { guestId_number: { guestId, number: n.data } },
    include: bootViewInclude,
  });
  return row ? toBootView(row) : null;
}

export async function listSnapshots(db: Db, guestId: string): Promise<SnapshotView[]> {
  const rows = await db.snapshot.findMany({ where: { guestId }, orderBy: { createdAt: "desc" } });
  return rows.map(toSnapshotView);
}
