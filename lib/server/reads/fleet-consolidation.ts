// The fleet's consolidation figures, one row per host: the web's consolidation page and its
// per-host CSV read them here, and so do the fleet tests (with their own database client).
// Each host's figures come from its own samples (HostSample.hostId) and its own guests.
import { toHostSampleView } from "../../shared/metric-views";
import { can, type Actor } from "../../shared/permissions";
import { fleetHostRow, type FleetHostInput, type FleetHostRow } from "../../shared/fleet-consolidation";
import type { Db } from "../database";
import { rawArgs, rawNumber } from "../raw-statement";
import { listHosts } from "./hosts";
import { RAW } from "./rollups";

/** Refused: the reader's role may not see consolidation figures (metrics.read). */
export class ConsolidationForbidden extends Error {
  constructor() {
    super("Your role may not see consolidation figures: ask an admin or a manager.");
  }
}

/** Every host's row, by name; refused (ConsolidationForbidden) unless `viewer` may read metrics. */
export async function readFleetConsolidation(db: Db, viewer: Actor, now = new Date()): Promise<FleetHostRow[]> {
  if (!can(viewer, "metrics.read")) throw new ConsolidationForbidden();
  const [hosts, counts] = await Promise.all([
    listHosts(db, { now }),
    db.guest.groupBy({ by: ["hostId", "state"], _count: { _all: true } }),
  ]);
  const inputs = await Promise.all(
    hosts.map(async (h): Promise<FleetHostInput> => {
      const mine = counts.filter((c) => c.hostId === h.id);
      const row = await db.hostSample.findFirst({ where: { hostId: h.id, period: 0 }, orderBy: { at: "desc" } });
      return {
        id: h.id,
        name: h.name,
        status: h.status,
        maintenance: h.maintenance,
        memoryMiB: h.memoryMiB,
        cores: h.cores,
        guestMemoryMiB: h.guestMemoryMiB,
        guestsTotal: mine.reduce((n, c) => n + c._count._all, 0),
        guestsRunning: mine.filter((c) => c.state === "running").reduce((n, c) => n + c._count._all, 0),
        allocatedMiB: h.guestAllocatedMiB,
        tick: row ? toHostSampleView(row) : null,
        promisedMiB: row ? await promisedAt(db, h.id, row.at) : 0,
      };
    }),
  );
  return inputs.map((h) => fleetHostRow(h));
}

/**
 * Memory host `hostId`'s guests sampled at `at` were given but had not touched: one sum in
 * the database (read as rows with their guests, 4–20 ms at 500 guests; summed, 0.5 ms).
 */
export async function promisedAt(db: Db, hostId: string, at: Date): Promise<number> {
  const a = rawArgs(db);
  const sql =
    `SELECT SUM(CASE WHEN g."memoryMiB" * 1024 > s."hostMemKiB" THEN g."memoryMiB" - s."hostMemKiB" / 1024.0 ELSE 0 END) ` +
    `AS "promised" FROM "GuestSample" s JOIN "Guest" g ON g."id" = s."guestId" ` +
    `WHERE ${a.host(hostId, `s."hostId"`)} AND s."period" = ${a.int(RAW)} AND s."at" = ${a.time(at)}`;
  const [row] = await db.$queryRawUnsafe<Array<{ promised: unknown }>>(sql, ...a.args);
  return rawNumber(row?.promised);
}

/**
 * The host a consolidation view shows when none is asked for: the first reachable one that
 * has sampled, else the first. Null when no host has registered yet.
 */
export function defaultHostId(rows: FleetHostRow[]): string | null {
  return (rows.find((r) => r.state !== "unreachable" && r.sampledAt) ?? rows[0])?.hostId ?? null;
}

/**
 * The host a consolidation read (the CSV, the live averages) is of: the one `asked` names,
 * else the page's default. "unknown": `asked` names no host.
 */
export async function consolidationHost(
  db: Db,
  viewer: Actor,
  asked: string | null,
): Promise<{ hostId: string | null; fleet: boolean } | "unknown"> {
  const rows = await readFleetConsolidation(db, viewer);
  if (asked !== null && !rows.some((r) => r.hostId === asked)) return "unknown";
  return { hostId: asked ?? defaultHostId(rows), fleet: rows.length > 1 };
}
