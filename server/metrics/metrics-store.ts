import { Prisma } from "../../generated/prisma/client";
import type { Db } from "../db";
import { compactSamples, type SampleTables } from "./compaction";
import type { GuestRow, HostRow } from "./rollup";

/**
 * One host's rows of the sample tables. Each daemon is the only writer of its host's rows:
 * it reads, rolls up and deletes only those (daemons of a fleet share the tables).
 */
export class MetricsStore implements SampleTables {
  private readonly mine: { hostId: string };

  constructor(
    private readonly db: Db,
    private readonly retentionDays: number,
    hostId: string,
  ) {
    this.mine = { hostId };
  }

  /**
   * One tick's rows, together: a reader sees all of a tick or none of it. Written as one
   * multi-row INSERT per table (Prisma's createMany costs ~5× the CPU; this runs every tick).
   */
  async record(guests: GuestRow[], host: HostRow): Promise<void> {
    const writes = [
      this.db.$executeRaw`INSERT INTO "HostSample" ${columns(HOST_COLUMNS)} VALUES ${values(HOST_COLUMNS, [host])}`,
    ];
    // Batches keep each statement well under SQLite's 32,766 bound parameters.
    for (let i = 0; i < guests.length; i += ROWS_PER_INSERT) {
      const rows = values(GUEST_COLUMNS, guests.slice(i, i + ROWS_PER_INSERT));
      writes.push(this.db.$executeRaw`INSERT INTO "GuestSample" ${columns(GUEST_COLUMNS)} VALUES ${rows}`);
    }
    await this.db.$transaction(writes);
  }

  compact(nowMs: number): Promise<number> {
    return compactSamples(this, nowMs, this.retentionDays);
  }

  async latestAt(period: number): Promise<number | null> {
    const row = await this.db.hostSample.findFirst({
      where: { ...this.mine, period },
      orderBy: { at: "desc" },
      select: { at: true },
    });
    return row?.at.getTime() ?? null;
  }

  async firstAt(period: number, fromMs: number): Promise<number | null> {
    const row = await this.db.hostSample.findFirst({
      where: { ...this.mine, period, at: { gte: new Date(fromMs) } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    return row?.at.getTime() ?? null;
  }

  async bucket(period: number, fromMs: number, toMs: number): Promise<{ guests: GuestRow[]; host: HostRow[] }> {
    const where = { ...this.mine, period, at: { gte: new Date(fromMs), lt: new Date(toMs) } };
    const omit = { id: true } as const;
    const [guests, host] = await Promise.all([
      this.db.guestSample.findMany({ where, omit }),
      this.db.hostSample.findMany({ where, omit }),
    ]);
    return { guests, host };
  }

  async insertRollup(guests: GuestRow[], host: HostRow): Promise<void> {
    await this.record(guests, host);
  }

  async deleteBefore(period: number, beforeMs: number): Promise<void> {
    // Rows of no host (written by a daemon from before hosts) would otherwise never go.
    const where = { OR: [this.mine, { hostId: null }], period, at: { lt: new Date(beforeMs) } };
    await this.db.$transaction([this.db.guestSample.deleteMany({ where }), this.db.hostSample.deleteMany({ where })]);
  }
}

const ROWS_PER_INSERT = 500;

/**
 * Gives this host the samples of no host (those from before hosts existed), as
 * claimUnhostedGuests (hosts/guest-host.ts) does their guests: the one host there was took them.
 */
export async function claimUnhostedSamples(db: Db, hostId: string): Promise<number> {
  const [guests, host] = await db.$transaction([
    db.guestSample.updateMany({ where: { hostId: null }, data: { hostId } }),
    db.hostSample.updateMany({ where: { hostId: null }, data: { hostId } }),
  ]);
  return guests.count + host.count;
}

/** The list, checked to name every field of T: a new field cannot be silently left unwritten. */
const everyColumn =
  <T>() =>
  <const L extends ReadonlyArray<keyof T>>(list: L & (Exclude<keyof T, L[number]> extends never ? unknown : never)) =>
    list;

const GUEST_COLUMNS = everyColumn<GuestRow>()([
  "guestId",
  "period",
  "at",
  "samples",
  "cpuPct",
  "cpuPctMax",
  "hostMemKiB",
  "guestSamples",
  "guestMemTotalKiB",
  "guestMemUsedKiB",
  "guestLoad1",
  "hostId",
]);

const HOST_COLUMNS = everyColumn<HostRow>()([
  "period",
  "at",
  "samples",
  "cpuCores",
  "cpuPct",
  "cpuPctMax",
  "memTotalKiB",
  "memAvailableKiB",
  "diskFreeMiB",
  "ramBackingFreeMiB",
  "load1",
  "guestsRunning",
  "guestAllocatedMiB",
  "guestCpuPct",
  "guestHostMemKiB",
  "hostId",
]);

// Column names come from the lists above, never from input; values are bound parameters.
function columns(names: readonly string[]): Prisma.Sql {
  return Prisma.raw(`(${names.map((n) => `"${n}"`).join(", ")})`);
}

function values<R>(names: ReadonlyArray<keyof R>, rows: R[]): Prisma.Sql {
  return Prisma.join(rows.map((r) => Prisma.sql`(${Prisma.join(names.map((n) => r[n]))})`));
}
