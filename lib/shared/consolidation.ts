// The consolidation report: what the host carries, what it replaced, how loaded it is.
// Pure, so the page (live, in the browser), the CSV export (on the server) and the tests
// compute exactly the same figures from the same samples.
import type { GuestKind, GuestViewState, HostSampleView, TickSample } from "./protocol";

/** CPU is averaged over this much history: one busy instant does not make a guest busy. */
export const CPU_WINDOW_MS = 10 * 60_000;
/** Memory the host keeps for itself when counting how many more guests fit. */
export const HOST_RESERVE_FRACTION = 0.1;

export interface ReportGuest {
  id: string;
  name: string;
  kind: GuestKind;
  state: GuestViewState;
  memoryMiB: number;
}

export interface ReportRow {
  guestId: string;
  name: string;
  kind: GuestKind;
  state: GuestViewState;
  allocatedMiB: number;
  /** Null when the guest was not sampled at the report's time (no live kernel). */
  cpuPct: number | null;
  cpuPctAvg: number | null;
  hostUsedMiB: number | null;
  guestUsedMiB: number | null;
  guestTotalMiB: number | null;
  /** Allocated but unused: what shrinking the guest to its use would give back. */
  reclaimableMiB: number | null;
  load1: number | null;
}

export interface Headline {
  guestsDefined: number;
  guestsRunning: number;
  hostMemMiB: number | null;
  allocatedMiB: number;
  allocatedDefinedMiB: number;
  /** Memory allocated to running guests per MiB of host memory. */
  overcommit: number | null;
  hostUsedMiB: number;
  guestUsedMiB: number;
  cpuCores: number | null;
  guestCpuCores: number;
  hostCpuCores: number | null;
  typicalGuestMiB: number | null;
  typicalUsedMiB: number | null;
  /** More guests of the typical size that fit if every guest used all of its memory. */
  headroom: number | null;
  /** …and if new guests used what running guests typically use today. */
  headroomAtTypicalUse: number | null;
}

export interface ConsolidationReport {
  at: string | null;
  headline: Headline;
  rows: ReportRow[];
}

const KiB_PER_MiB = 1024;

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Mean of each guest's CPU over the window, its samples taken in time order. */
export function averageCpu(samples: Iterable<{ guestId: string; cpuPct: number }>): Map<string, number> {
  const acc = new Map<string, { sum: number; n: number }>();
  for (const s of samples) {
    const a = acc.get(s.guestId);
    if (a) {
      a.sum += s.cpuPct;
      a.n++;
    } else acc.set(s.guestId, { sum: s.cpuPct, n: 1 });
  }
  return new Map([...acc].map(([id, a]) => [id, a.sum / a.n]));
}

/**
 * The report at the tick `host.at`: `latest` are the guest samples of that tick (a guest
 * without one is not running then) and `cpuAvg` each guest's CPU averaged over the window
 * ending there (see averageCpu).
 */
export function consolidationReport(
  guests: ReportGuest[],
  latest: TickSample[],
  cpuAvg: ReadonlyMap<string, number>,
  host: HostSampleView | null,
): ConsolidationReport {
  const now = new Map(latest.map((s) => [s.guestId, s]));
  const rows = guests.map((g): ReportRow => {
    const s = now.get(g.id);
    const guestUsedMiB = s?.guestMemUsedKiB != null ? s.guestMemUsedKiB / KiB_PER_MiB : null;
    const hostUsedMiB = s ? s.hostMemKiB / KiB_PER_MiB : null;
    const used = guestUsedMiB ?? hostUsedMiB;
    return {
      guestId: g.id,
      name: g.name,
      kind: g.kind,
      state: g.state,
      allocatedMiB: g.memoryMiB,
      cpuPct: s ? s.cpuPct : null,
      cpuPctAvg: s ? (cpuAvg.get(g.id) ?? s.cpuPct) : null,
      hostUsedMiB,
      guestUsedMiB,
      guestTotalMiB: s?.guestMemTotalKiB != null ? s.guestMemTotalKiB / KiB_PER_MiB : null,
      reclaimableMiB: used === null ? null : Math.max(0, g.memoryMiB - used),
      load1: s?.guestLoad1 ?? null,
    };
  });
  return { at: host?.at ?? null, headline: headlineOf(guests, rows, host), rows };
}

/**
 * How many more guests of `sizeMiB` fit on the host of `host`'s tick, if running guests may
 * still grow into the `promisedMiB` they were given but have not touched: bounded by the
 * host's available memory (less its reserve) and by the space backing UML guest RAM.
 */
export function guestsThatFit(host: HostSampleView, promisedMiB: number, sizeMiB: number): number {
  const spare = host.memAvailableKiB / KiB_PER_MiB - (host.memTotalKiB / KiB_PER_MiB) * HOST_RESERVE_FRACTION;
  const fit = (free: number) => Math.max(0, Math.floor(free / sizeMiB));
  return Math.min(fit(spare - promisedMiB), fit(host.ramBackingFreeMiB - promisedMiB));
}

function headlineOf(guests: ReportGuest[], rows: ReportRow[], host: HostSampleView | null): Headline {
  const live = rows.filter((r) => r.hostUsedMiB !== null);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const allocatedMiB = sum(live.map((r) => r.allocatedMiB));
  const hostUsedMiB = sum(live.map((r) => r.hostUsedMiB!));
  const hostMemMiB = host ? host.memTotalKiB / KiB_PER_MiB : null;
  const typicalGuestMiB = median(guests.map((g) => g.memoryMiB));
  const typicalUsedMiB = median(live.map((r) => r.hostUsedMiB!));
  let headroom: number | null = null;
  let headroomAtTypicalUse: number | null = null;
  if (host && hostMemMiB !== null && typicalGuestMiB) {
    // Running guests may still grow into memory they were promised but have not touched.
    const promised = sum(live.map((r) => Math.max(0, r.allocatedMiB - r.hostUsedMiB!)));
    headroom = guestsThatFit(host, promised, typicalGuestMiB);
    if (typicalUsedMiB) headroomAtTypicalUse = guestsThatFit(host, 0, typicalUsedMiB);
  }
  return {
    guestsDefined: guests.length,
    guestsRunning: guests.filter((g) => g.state === "running").length,
    hostMemMiB,
    allocatedMiB,
    allocatedDefinedMiB: sum(guests.map((g) => g.memoryMiB)),
    overcommit: hostMemMiB ? allocatedMiB / hostMemMiB : null,
    hostUsedMiB,
    guestUsedMiB: sum(live.map((r) => r.guestUsedMiB ?? 0)),
    cpuCores: host?.cpuCores ?? null,
    guestCpuCores: sum(live.map((r) => r.cpuPct ?? 0)) / 100,
    hostCpuCores: host ? host.cpuPct / 100 : null,
    typicalGuestMiB,
    typicalUsedMiB,
    headroom,
    headroomAtTypicalUse,
  };
}

/**
 * Running guests, idlest first: lowest average CPU, then most reclaimable memory. The top of
 * this list is where consolidating further, or shrinking a guest, costs least.
 */
export function rankByIdleness(rows: ReportRow[]): ReportRow[] {
  return rows
    .filter((r) => r.cpuPctAvg !== null)
    .sort((a, b) => a.cpuPctAvg! - b.cpuPctAvg! || (b.reclaimableMiB ?? 0) - (a.reclaimableMiB ?? 0));
}

/** The consolidation table, as both the page and the CSV export print it. */
export const TABLE_COLUMNS = [
  { key: "guest", label: "Guest" },
  { key: "state", label: "State" },
  { key: "allocated_mib", label: "Allocated (MiB)" },
  { key: "host_used_mib", label: "Host memory used (MiB)" },
  { key: "guest_used_mib", label: "Used inside guest (MiB)" },
  { key: "reclaimable_mib", label: "Reclaimable (MiB)" },
  { key: "cpu_pct", label: "CPU now (% of a core)" },
  { key: "cpu_pct_avg_10min", label: "CPU 10-min average (%)" },
  { key: "load1", label: "Load (1 min)" },
  { key: "kind", label: "Kind" },
] as const;

const fixed = (v: number | null, digits: number) => (v === null ? null : v.toFixed(digits));

/** One table row's cells in TABLE_COLUMNS order; null where there is no figure. */
export function tableCells(r: ReportRow): Array<string | null> {
  return [
    r.name,
    r.state,
    String(r.allocatedMiB),
    fixed(r.hostUsedMiB, 1),
    fixed(r.guestUsedMiB, 1),
    fixed(r.reclaimableMiB, 1),
    fixed(r.cpuPct, 1),
    fixed(r.cpuPctAvg, 1),
    fixed(r.load1, 2),
    r.kind,
  ];
}
