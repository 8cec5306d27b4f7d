// The consolidation figures split by guest kind, and the manager's question: what does one
// guest of each kind cost this host, and how many more would fit if guests were of that kind?
// Pure, beside consolidation.ts: the page computes it live from the same report.
import { HOST_RESERVE_FRACTION, type ReportRow } from "./consolidation";
import { GUEST_KINDS, type GuestKind, type HostSampleView } from "./protocol";

/** UML backs guest RAM with files in CORRAL_UML_TMPDIR: that folder's free space bounds them too. */
const RAM_BACKED: Record<GuestKind, boolean> = { uml: true, context: false };

export interface KindCost {
  kind: GuestKind;
  defined: number;
  /** Guests of this kind sampled at the report's tick. */
  running: number;
  hostUsedMiB: number;
  /** CPU they use, in cores (each guest's 10-minute average). */
  cpuCores: number;
  /** Host memory one running guest of this kind holds, on average (null: none runs). */
  memPerGuestMiB: number | null;
  /** Host CPU one running guest of this kind uses, on average, % of one core. */
  cpuPctPerGuest: number | null;
  /** More guests of this kind that fit beside today's, at its cost per guest (memory and CPU). */
  headroom: number | null;
  /** More guests than run today, were every running guest of this kind, at its cost per guest. */
  moreIfAllWere: number | null;
  /** What bounds both: the resource that runs out first. */
  boundBy: "memory" | "cpu" | null;
}

const KiB_PER_MiB = 1024;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** How many of `each` fit in `free` (null: `each` is no cost at all, nothing bounds it). */
const fit = (free: number, each: number) => (each > 0 ? Math.max(0, Math.floor(free / each)) : null);

function tighter(byMemory: number | null, byCpu: number | null): { n: number | null; by: KindCost["boundBy"] } {
  if (byMemory === null) return { n: byCpu, by: byCpu === null ? null : "cpu" };
  if (byCpu === null || byMemory <= byCpu) return { n: byMemory, by: "memory" };
  return { n: byCpu, by: "cpu" };
}

/**
 * Per kind: the mean host cost of its running guests (host memory held; CPU averaged over
 * the last minutes) and the headroom in guests at that cost. Memory keeps the host's reserve
 * (HOST_RESERVE_FRACTION); CPU counts every core. "If all were": today's guests' memory and
 * CPU count as free again, and the host's own use (what no guest uses) stays.
 */
export function kindCosts(rows: ReportRow[], host: HostSampleView | null): KindCost[] {
  const live = rows.filter((r) => r.hostUsedMiB !== null);
  const guestMemMiB = sum(live.map((r) => r.hostUsedMiB!));
  const guestCpuPct = sum(live.map((r) => r.cpuPctAvg ?? r.cpuPct ?? 0));
  return GUEST_KINDS.map((kind): KindCost => {
    const mine = live.filter((r) => r.kind === kind);
    const hostUsedMiB = sum(mine.map((r) => r.hostUsedMiB!));
    const cpuPct = sum(mine.map((r) => r.cpuPctAvg ?? r.cpuPct ?? 0));
    const memPerGuestMiB = mine.length ? hostUsedMiB / mine.length : null;
    const cpuPctPerGuest = mine.length ? cpuPct / mine.length : null;
    const base = {
      kind,
      defined: rows.filter((r) => r.kind === kind).length,
      running: mine.length,
      hostUsedMiB,
      cpuCores: cpuPct / 100,
      memPerGuestMiB,
      cpuPctPerGuest,
    };
    if (!host || memPerGuestMiB === null || cpuPctPerGuest === null) {
      return { ...base, headroom: null, moreIfAllWere: null, boundBy: null };
    }
    const spareMem = host.memAvailableKiB / KiB_PER_MiB - (host.memTotalKiB / KiB_PER_MiB) * HOST_RESERVE_FRACTION;
    const spareCpu = host.cpuCores * 100 - host.cpuPct;
    const byMemory = (spare: number, backing: number) => {
      const n = fit(spare, memPerGuestMiB);
      const b = RAM_BACKED[kind] ? fit(backing, memPerGuestMiB) : null;
      return n === null || b === null ? (n ?? b) : Math.min(n, b);
    };
    const now = tighter(byMemory(spareMem, host.ramBackingFreeMiB), fit(spareCpu, cpuPctPerGuest));
    const all = tighter(
      byMemory(spareMem + guestMemMiB, host.ramBackingFreeMiB + (RAM_BACKED[kind] ? hostUsedMiB : 0)),
      fit(spareCpu + guestCpuPct, cpuPctPerGuest),
    );
    return {
      ...base,
      headroom: now.n,
      moreIfAllWere: all.n === null ? null : Math.max(0, all.n - live.length),
      boundBy: now.by,
    };
  });
}
