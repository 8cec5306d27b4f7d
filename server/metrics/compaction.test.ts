import { describe, expect, it } from "vitest";
import { compactSamples, type SampleTables } from "./compaction";
import { HOUR, MINUTE, RAW, rollupGuests, rollupHost, rowsBound, type GuestRow, type HostRow } from "./rollup";

/** The sample tables in memory, each period's rows kept in time order as the store's are. */
class MemoryTables implements SampleTables {
  guests = new Map<number, GuestRow[]>([RAW, MINUTE, HOUR].map((p) => [p, []]));
  host = new Map<number, HostRow[]>([RAW, MINUTE, HOUR].map((p) => [p, []]));

  insertRaw(guests: GuestRow[], host: HostRow) {
    this.guests.get(RAW)!.push(...guests);
    this.host.get(RAW)!.push(host);
  }
  async latestAt(period: number) {
    const rows = this.host.get(period)!;
    return rows.length ? rows[rows.length - 1].at.getTime() : null;
  }
  async firstAt(period: number, fromMs: number) {
    const rows = this.host.get(period)!;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid].at.getTime() < fromMs) lo = mid + 1;
      else hi = mid;
    }
    return lo < rows.length ? rows[lo].at.getTime() : null;
  }
  async rollUp(from: number, period: number, startMs: number) {
    const inside = (r: { at: Date }) => r.at.getTime() >= startMs && r.at.getTime() < startMs + period * 1000;
    const at = new Date(startMs);
    this.guests.get(period)!.push(...rollupGuests(this.guests.get(from)!.filter(inside), period, at));
    this.host.get(period)!.push(rollupHost(this.host.get(from)!.filter(inside), period, at));
  }
  async deleteBefore(period: number, beforeMs: number) {
    const keep = (r: { at: Date }) => r.at.getTime() >= beforeMs;
    const g = this.guests.get(period)!;
    const firstKept = g.findIndex(keep);
    g.splice(0, firstKept < 0 ? g.length : firstKept);
    const h = this.host.get(period)!;
    const firstHost = h.findIndex(keep);
    h.splice(0, firstHost < 0 ? h.length : firstHost);
  }
  count(guestId: string, period: number) {
    return this.guests.get(period)!.filter((r) => r.guestId === guestId).length;
  }
}

const T0 = Date.UTC(2026, 10, 1); // on an hour boundary

/** Fixed, varied figures for guest `g` at tick `i`; every 7th tick the guest did not answer. */
function rawGuest(guestId: string, g: number, i: number, at: Date): GuestRow {
  const answered = (i + g) % 7 !== 0;
  return {
    guestId,
    hostId: "h1",
    period: RAW,
    at,
    samples: 1,
    cpuPct: (i * 7 + g * 13) % 101,
    cpuPctMax: (i * 7 + g * 13) % 101,
    hostMemKiB: 20_000 + ((i * 31 + g) % 997),
    guestSamples: answered ? 1 : 0,
    guestMemTotalKiB: answered ? 51_776 : null,
    guestMemUsedKiB: answered ? 10_000 + ((i * 17) % 503) : null,
    guestLoad1: answered ? ((i + g) % 5) / 4 : null,
  };
}

function rawHost(i: number, at: Date, guests: GuestRow[]): HostRow {
  return {
    hostId: "h1",
    period: RAW,
    at,
    samples: 1,
    cpuCores: 2,
    cpuPct: (i * 11) % 201,
    cpuPctMax: (i * 11) % 201,
    memTotalKiB: 24_000_000,
    memAvailableKiB: 20_000_000 + (i % 1000),
    diskFreeMiB: 80_000,
    ramBackingFreeMiB: 24_000,
    load1: (i % 9) / 3,
    guestsRunning: guests.length,
    guestAllocatedMiB: guests.length * 64,
    guestCpuPct: guests.reduce((s, g) => s + g.cpuPct, 0),
    guestHostMemKiB: guests.reduce((s, g) => s + g.hostMemKiB, 0),
  };
}

/** Samples `guestIds` every `intervalS` for `ticks` ticks, compacting after each as the store does. */
async function simulate(t: MemoryTables, guestIds: string[], intervalS: number, ticks: number, opts: Sim = {}) {
  const all: GuestRow[] = [];
  let compactedMinute = -1;
  for (let i = 0; i < ticks; i++) {
    const at = new Date(T0 + i * intervalS * 1000);
    const present = guestIds.filter((_, g) => opts.running?.(g, i) ?? true);
    const guests = present.map((id) => rawGuest(id, guestIds.indexOf(id), i, at));
    all.push(...guests);
    t.insertRaw(guests, rawHost(i, at, guests));
    // As MetricsService does: compact in the first tick of each minute.
    const minute = Math.floor(at.getTime() / 60_000);
    if ((opts.compact ?? true) && minute !== compactedMinute) {
      await compactSamples(t, at.getTime() + 1, opts.retentionDays ?? 31);
      compactedMinute = minute;
    }
    opts.afterTick?.(at.getTime());
  }
  return all;
}

interface Sim {
  running?: (g: number, i: number) => boolean;
  compact?: boolean;
  retentionDays?: number;
  afterTick?: (nowMs: number) => void;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("downsampling", () => {
  it("keeps each guest within the bound through 33 days of sampling", async () => {
    const t = new MemoryTables();
    const intervalS = 30;
    const bound = rowsBound(intervalS, 31);
    const rows = (p: number) => t.guests.get(p)!.length; // one guest: every row is its own
    let most = 0;
    let violations = 0;
    await simulate(t, ["a"], intervalS, (33 * 86400) / intervalS, {
      afterTick: () => {
        most = Math.max(most, rows(RAW) + rows(MINUTE) + rows(HOUR));
        if (rows(RAW) > bound.raw || rows(MINUTE) > bound.minute || rows(HOUR) > bound.hour) violations++;
      },
    });
    expect(violations).toBe(0);
    expect(most).toBeLessThanOrEqual(bound.total);
    // Steady state: the hour of raw samples, the day of minutes and the month of hours are
    // all there (less the bucket still open).
    expect(t.count("a", RAW)).toBeGreaterThanOrEqual(3600 / intervalS);
    expect(t.count("a", MINUTE)).toBeGreaterThanOrEqual(24 * 60 - 1);
    expect(t.count("a", HOUR)).toBeGreaterThanOrEqual(31 * 24 - 1);
    expect(t.host.get(HOUR)!.length).toBe(t.count("a", HOUR));
  });

  it("states the bound for the default settings: 5 s samples, 31 days", () => {
    expect(rowsBound(5, 31)).toEqual({ raw: 733, minute: 1441, hour: 745, total: 2919 });
  });

  it("rolls minutes and hours up to the means and maxima of the raw samples they cover", async () => {
    const t = new MemoryTables();
    const ids = ["busy", "idle"];
    // "idle" runs only during the second half of each hour.
    const raw = await simulate(t, ids, 5, (3 * 3600) / 5 + 12, {
      running: (g, i) => g === 0 || (i * 5) % 3600 >= 1800,
    });
    const hours = t.guests.get(HOUR)!;
    expect(hours.map((r) => r.at.getTime() - T0)).toEqual([0, 0, 1, 1, 2, 2].map((h) => h * 3600_000));
    for (const row of hours) {
      const src = raw.filter(
        (r) => r.guestId === row.guestId && r.at.getTime() >= row.at.getTime() && r.at < new Date(+row.at + 3600_000),
      );
      const answered = src.filter((r) => r.guestSamples === 1);
      expect(row.samples).toBe(src.length);
      expect(row.samples).toBe(row.guestId === "busy" ? 720 : 360);
      expect(row.cpuPct).toBeCloseTo(mean(src.map((r) => r.cpuPct)), 9);
      expect(row.cpuPctMax).toBe(Math.max(...src.map((r) => r.cpuPct)));
      expect(row.hostMemKiB).toBeCloseTo(mean(src.map((r) => r.hostMemKiB)), 9);
      expect(row.guestSamples).toBe(answered.length);
      expect(row.guestMemUsedKiB).toBeCloseTo(mean(answered.map((r) => r.guestMemUsedKiB!)), 9);
      expect(row.guestLoad1).toBeCloseTo(mean(answered.map((r) => r.guestLoad1!)), 9);
    }
    const minutes = t.guests.get(MINUTE)!.filter((r) => r.guestId === "busy");
    expect(minutes).toHaveLength(3 * 60); // the minute still open is not rolled up
    const m = minutes[61];
    const src = raw.filter((r) => r.guestId === "busy" && r.at >= m.at && r.at < new Date(+m.at + 60_000));
    expect(m.samples).toBe(12);
    expect(m.cpuPct).toBeCloseTo(mean(src.map((r) => r.cpuPct)), 9);
    // Host rows: sums over guests survive as means.
    const h = t.host.get(HOUR)![1];
    expect(h.guestsRunning).toBeCloseTo(1.5, 9);
    expect(h.guestAllocatedMiB).toBeCloseTo(96, 9);
  });

  it("leaves a guest that never answered mconsole without guest-reported figures", async () => {
    const t = new MemoryTables();
    const at = new Date(T0);
    const row = { ...rawGuest("mute", 0, 0, at), guestSamples: 0, guestMemUsedKiB: null, guestMemTotalKiB: null };
    t.insertRaw([row], rawHost(0, at, [row]));
    await compactSamples(t, T0 + 60_000, 31);
    expect(t.guests.get(MINUTE)![0]).toMatchObject({ guestSamples: 0, guestMemUsedKiB: null, guestLoad1: null });
  });

  it("catches up after a pause, and compacting again changes nothing", async () => {
    const live = new MemoryTables();
    const late = new MemoryTables();
    const ticks = (2 * 3600) / 10 + 30;
    await simulate(live, ["a"], 10, ticks);
    await simulate(late, ["a"], 10, ticks, { compact: false });
    const now = T0 + (ticks - 1) * 10_000 + 1;
    await compactSamples(late, now, 31);
    await compactSamples(late, now, 31);
    for (const p of [MINUTE, HOUR]) {
      expect(late.guests.get(p)).toEqual(live.guests.get(p));
      expect(late.host.get(p)).toEqual(live.host.get(p));
    }
    // The late compaction ran at the end, not at the start of the last minute: it kept less.
    const lateRaw = late.guests.get(RAW)!;
    expect(live.guests.get(RAW)!.slice(-lateRaw.length)).toEqual(lateRaw);
  });
});
