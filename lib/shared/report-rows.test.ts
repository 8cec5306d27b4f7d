import { describe, expect, it } from "vitest";
import type { ReportRow } from "./consolidation";
import { parseReportView, REPORT_PAGE_SIZE, reportSearch, viewReportRows } from "./report-rows";

const row = (i: number, cpuPct: number | null): ReportRow => ({
  guestId: `id${i}`,
  name: `g-${String(i).padStart(3, "0")}`,
  kind: "uml",
  state: cpuPct === null ? "stopped" : "running",
  allocatedMiB: 64,
  cpuPct,
  cpuPctAvg: cpuPct,
  hostUsedMiB: null,
  guestUsedMiB: null,
  guestTotalMiB: null,
  reclaimableMiB: null,
  load1: null,
});

describe("the consolidation table's view", () => {
  const rows = Array.from({ length: 120 }, (_, i) => row(i, i % 2 ? null : i / 10));
  const view = (params: Record<string, string>) => parseReportView((k) => params[k] ?? null);

  it("draws one page of rows, in name order by default", () => {
    const { page, total, pages } = viewReportRows(rows, view({}));
    expect([total, pages, page.length]).toEqual([120, 3, REPORT_PAGE_SIZE]);
    expect(page[0].name).toBe("g-000");
    expect(viewReportRows(rows, view({ page: "3" })).page.map((r) => r.name)).toEqual(
      rows.slice(100).map((r) => r.name),
    );
    expect(viewReportRows(rows, view({ page: "99" })).page[0].name).toBe("g-100"); // past the end: the last page
  });

  it("filters by name and state and sorts by a figure, missing figures last either way", () => {
    const running = viewReportRows(rows, view({ state: "running", sort: "cpu_pct", dir: "desc" }));
    expect(running.total).toBe(60);
    expect(running.page[0].name).toBe("g-118");
    const withStopped = viewReportRows(rows, view({ q: "G-00", sort: "cpu_pct", dir: "asc" })).page;
    expect(withStopped.map((r) => r.name)).toEqual([
      "g-000",
      "g-002",
      "g-004",
      "g-006",
      "g-008",
      "g-001",
      "g-003",
      "g-005",
      "g-007",
      "g-009",
    ]);
  });

  it("ignores what does not fit in the URL and keeps other parameters when changing one", () => {
    expect(view({ sort: "secret", dir: "up", page: "-4", state: "asleep" })).toEqual({
      q: undefined,
      state: undefined,
      sort: "guest",
      dir: "asc",
      page: 1,
    });
    expect(reportSearch(new URLSearchParams("range=day&page=2"), { q: "web", page: 1 })).toBe("?range=day&q=web");
  });
});
