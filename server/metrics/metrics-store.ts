import type { Db } from "../db";
import { compactSamples, type SampleTables } from "./compaction";
import type { GuestRow, HostRow } from "./rollup";

/** The sample tables in the database. The daemon is their only writer. */
export class MetricsStore implements SampleTables {
  constructor(
    private readonly db: Db,
    private readonly retentionDays: number,
  ) {}

  /** One tick's raw rows, together: a reader sees all of a tick or none of it. */
  async record(guests: GuestRow[], host: HostRow): Promise<void> {
    await this.db.$transaction([
      this.db.guestSample.createMany({ data: guests }),
      this.db.hostSample.create({ data: host }),
    ]);
  }

  compact(nowMs: number): Promise<number> {
    return compactSamples(this, nowMs, this.retentionDays);
  }

  async latestAt(period: number): Promise<number | null> {
    const row = await this.db.hostSample.findFirst({
      where: { period },
      orderBy: { at: "desc" },
      select: { at: true },
    });
    return row?.at.getTime() ?? null;
  }

  async firstAt(period: number, fromMs: number): Promise<number | null> {
    const row = await this.db.hostSample.findFirst({
      where: { period, at: { gte: new Date(fromMs) } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    return row?.at.getTime() ?? null;
  }

  async bucket(period: number, fromMs: number, toMs: number): Promise<{ guests: GuestRow[]; host: HostRow[] }> {
    const where = { period, at: { gte: new Date(fromMs), lt: new Date(toMs) } };
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
    const where = { period, at: { lt: new Date(beforeMs) } };
    await this.db.$transaction([this.db.guestSample.deleteMany({ where }), this.db.hostSample.deleteMany({ where })]);
  }
}
