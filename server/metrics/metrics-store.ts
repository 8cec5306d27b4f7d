import { newestRollup } from "../../lib/server/reads/rollups";
import { dbProvider, sqliteTime, type Db } from "../db";
import { compactSamples, type SampleTables } from "./compaction";
import { rollupHost, type GuestRow, type HostRow } from "./rollup";
import { guestRollupQuery } from "./rollup-sql";

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
   * One tick's rows, together: a reader sees all of a tick or none of it. Each table's rows
   * go as one JSON text bound to one parameter, unpacked by the database (json_each,
   * json_populate_recordset): binding every value of hundreds of rows through Prisma cost
   * more CPU than the database's insert itself, on every tick.
   */
  async record(guests: GuestRow[], host: HostRow): Promise<void> {
    const sqlite = dbProvider(this.db) === "sqlite";
    const writes = [this.db.$executeRawUnsafe(HOST_INSERT[sqlite ? 0 : 1], rowsJson(HOST_COLUMNS, [host], sqlite))];
    if (guests.length)
      writes.push(this.db.$executeRawUnsafe(GUEST_INSERT[sqlite ? 0 : 1], rowsJson(GUEST_COLUMNS, guests, sqlite)));
    await this.db.$transaction(writes);
  }

  compact(nowMs: number): Promise<number> {
    return compactSamples(this, nowMs, this.retentionDays);
  }

  async latestAt(period: number): Promise<number | null> {
    return (await newestRollup(this.db, this.mine.hostId, period))?.getTime() ?? null;
  }

  async firstAt(period: number, fromMs: number): Promise<number | null> {
    const row = await this.db.hostSample.findFirst({
      where: { ...this.mine, period, at: { gte: new Date(fromMs) } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    return row?.at.getTime() ?? null;
  }

  async rollUp(from: number, period: number, startMs: number): Promise<void> {
    const range = { gte: new Date(startMs), lt: new Date(startMs + period * 1000) };
    const at = new Date(startMs);
    // The host's few rows of the bucket are rolled up here; its guests' many, by the database.
    const host = await this.db.hostSample.findMany({
      where: { ...this.mine, period: from, at: range },
      omit: { id: true },
    });
    if (!host.length) return;
    const sqlite = dbProvider(this.db) === "sqlite";
    const time = (d: Date) => (sqlite ? sqliteTime(d) : d.toISOString());
    const [sql, ...args] = guestRollupQuery(sqlite, [
      period,
      time(at),
      this.mine.hostId,
      from,
      time(range.gte),
      time(range.lt),
    ]);
    await this.db.$transaction([
      this.db.$executeRawUnsafe(sql, ...args),
      this.db.$executeRawUnsafe(
        HOST_INSERT[sqlite ? 0 : 1],
        rowsJson(HOST_COLUMNS, [rollupHost(host, period, at)], sqlite),
      ),
    ]);
  }

  async deleteBefore(period: number, beforeMs: number): Promise<void> {
    // Rows of no host (written by a daemon from before hosts) would otherwise never go.
    const where = { OR: [this.mine, { hostId: null }], period, at: { lt: new Date(beforeMs) } };
    await this.db.$transaction([this.db.guestSample.deleteMany({ where }), this.db.hostSample.deleteMany({ where })]);
  }
}

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

/**
 * The INSERT of every row in one JSON parameter: for SQLite (json_each over arrays of
 * values, in `names` order) and for PostgreSQL (objects, by column name). Column and table
 * names come from the lists above, never from input.
 */
function insertSql(table: string, names: readonly string[]): [sqlite: string, postgres: string] {
  const cols = names.map((n) => `"${n}"`).join(", ");
  const picks = names.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ");
  return [
    `INSERT INTO "${table}" (${cols}) SELECT ${picks} FROM json_each(?)`,
    `INSERT INTO "${table}" (${cols}) SELECT ${names.map((n) => `r."${n}"`).join(", ")} ` +
      `FROM json_populate_recordset(NULL::"${table}", $1::json) AS r`,
  ];
}

const GUEST_INSERT = insertSql("GuestSample", GUEST_COLUMNS);
const HOST_INSERT = insertSql("HostSample", HOST_COLUMNS);

/**
 * Rows as JSON text. Times as Prisma's SQLite adapter writes them (ISO 8601 with "+00:00",
 * compared as text: another spelling would sort wrong); PostgreSQL parses its own.
 */
function rowsJson<R>(names: ReadonlyArray<keyof R>, rows: R[], sqlite: boolean): string {
  if (!sqlite) return JSON.stringify(rows.map((r) => Object.fromEntries(names.map((n) => [n, r[n]]))));
  const cell = (v: unknown) => (v instanceof Date ? sqliteTime(v) : v);
  return JSON.stringify(rows.map((r) => names.map((n) => cell(r[n]))));
}
