// The consolidation table's view of the report: a name search, a state, a sort column and a
// page, all from the page's URL. The report itself covers every guest (the headline needs
// them all); only the rows on screen are drawn.
import { TABLE_COLUMNS, type ReportRow } from "./consolidation";
import { GUEST_STATES, type GuestState } from "./protocol";

export type ReportColumn = (typeof TABLE_COLUMNS)[number]["key"];
export const REPORT_PAGE_SIZE = 50;

export interface ReportView {
  q?: string;
  state?: GuestState;
  sort: ReportColumn;
  dir: "asc" | "desc";
  page: number;
}

const VALUE: Record<ReportColumn, (r: ReportRow) => string | number | null> = {
  guest: (r) => r.name,
  state: (r) => r.state,
  allocated_mib: (r) => r.allocatedMiB,
  host_used_mib: (r) => r.hostUsedMiB,
  guest_used_mib: (r) => r.guestUsedMiB,
  reclaimable_mib: (r) => r.reclaimableMiB,
  cpu_pct: (r) => r.cpuPct,
  cpu_pct_avg_10min: (r) => r.cpuPctAvg,
  load1: (r) => r.load1,
  kind: (r) => r.kind,
};

/** The view a URL asks for; what does not fit is left at its default (a person may edit URLs). */
export function parseReportView(get: (key: string) => string | null): ReportView {
  const q = get("q")?.trim().toLowerCase().slice(0, 64) || undefined;
  const state = GUEST_STATES.find((s) => s === get("state"));
  const sort = TABLE_COLUMNS.find((c) => c.key === get("sort"))?.key ?? "guest";
  const dir = get("dir") === "desc" ? "desc" : "asc";
  const page = Math.max(1, Math.min(100_000, Math.floor(Number(get("page")) || 1)));
  return { q, state, sort, dir, page };
}

/** The rows matching the view, sorted (no figure sorts last), and the page of them to draw. */
export function viewReportRows(
  rows: ReportRow[],
  view: ReportView,
): { page: ReportRow[]; total: number; pages: number } {
  const value = VALUE[view.sort];
  const sign = view.dir === "asc" ? 1 : -1;
  const matching = rows.filter((r) => (!view.q || r.name.includes(view.q)) && (!view.state || r.state === view.state));
  const sorted = matching.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return a.name.localeCompare(b.name);
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  });
  const pages = Math.max(1, Math.ceil(sorted.length / REPORT_PAGE_SIZE));
  const page = Math.min(view.page, pages);
  return {
    page: sorted.slice((page - 1) * REPORT_PAGE_SIZE, page * REPORT_PAGE_SIZE),
    total: sorted.length,
    pages,
  };
}

/** The page's URL parameters with `change` applied (undefined removes one; the default page is left out). */
export function reportSearch(current: URLSearchParams, change: Record<string, string | number | undefined>): string {
  const next = new URLSearchParams(current);
  for (const [key, v] of Object.entries(change)) {
    if (v === undefined || v === "" || (key === "page" && v === 1)) next.delete(key);
    else next.set(key, String(v));
  }
  const s = next.toString();
  return s ? `?${s}` : "";
}
