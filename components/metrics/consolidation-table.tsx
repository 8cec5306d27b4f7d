"use client";

import clsx from "clsx";
import Link from "next/link";
import { ArrowDown, ArrowUp, Download } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { TABLE_COLUMNS, tableCells, type ConsolidationReport } from "@/lib/shared/consolidation";
import { GUEST_STATES } from "@/lib/shared/protocol";
import { parseReportView, reportSearch, viewReportRows, REPORT_PAGE_SIZE } from "@/lib/shared/report-rows";
import { buttonClasses } from "../ui/button";
import { Card } from "../ui/card";
import { DataTable } from "../ui/data-table";
import { inputClasses } from "../ui/form-field";

/** Columns of words, left-aligned; the rest are figures. */
const TEXT_COLUMNS = new Set<string>(["guest", "state", "kind"]);

/** The URL of the CSV export of the report at `at` (the tick the page shows), of host `hostId` in a fleet. */
export function consolidationCsvHref(at: string | null, hostId?: string | null): string {
  const q = new URLSearchParams();
  if (at) q.set("at", at);
  if (hostId) q.set("host", hostId);
  return q.size ? `/consolidation/csv?${q}` : "/consolidation/csv";
}

/**
 * Every guest's figures at the report's tick, as exported: searched, filtered, sorted and
 * paged by the URL, so only one page of rows is drawn however many guests there are. The
 * CSV holds every guest.
 */
export function ConsolidationTable({ report, hostId }: { report: ConsolidationReport; hostId?: string | null }) {
  const params = useSearchParams();
  const path = usePathname();
  const router = useRouter();
  const view = parseReportView((k) => params.get(k));
  const { page, total, pages } = viewReportRows(report.rows, view);
  const current = Math.min(view.page, pages);
  const href = (change: Record<string, string | number | undefined>) => `${path}${reportSearch(params, change)}`;
  const input = inputClasses(false);
  return (
    <Card
      title="Guests"
      aside={
        <a
          href={consolidationCsvHref(report.at, hostId)}
          download
          className={buttonClasses("secondary", "sm")}
          data-testid="csv-download"
        >
          <Download aria-hidden className="size-3.5" />
          Download CSV
        </a>
      }
    >
      <form
        role="search"
        aria-label="Filter the consolidation table"
        className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get("q");
          router.push(href({ q: typeof q === "string" ? q.trim() : undefined, page: undefined }));
        }}
      >
        <input
          name="q"
          type="search"
          aria-label="Search guests by name"
          placeholder="Search by name"
          defaultValue={view.q ?? ""}
          className={clsx(input, "w-52")}
        />
        <select
          aria-label="State"
          value={view.state ?? ""}
          onChange={(e) => router.push(href({ state: e.target.value || undefined, page: undefined }))}
          className={clsx(input, "w-36")}
        >
          <option value="">any state</option>
          {GUEST_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </form>
      <div aria-label="Consolidation table" role="region">
        <DataTable
          columns={TABLE_COLUMNS.map((c) => {
            const sorted = view.sort === c.key;
            const Icon = view.dir === "desc" ? ArrowDown : ArrowUp;
            return {
              key: c.key,
              sort: sorted ? (view.dir === "asc" ? "ascending" : "descending") : "none",
              header: (
                <Link
                  href={href({ sort: c.key, dir: sorted && view.dir === "asc" ? "desc" : "asc", page: undefined })}
                  className="inline-flex items-center gap-1 hover:text-slate-900"
                >
                  {c.label}
                  {sorted && <Icon aria-hidden className="size-3" />}
                </Link>
              ),
            };
          })}
        >
          {page.map((r) => (
            <tr key={r.guestId} data-guest={r.guestId}>
              {tableCells(r).map((cell, i) => (
                <td
                  key={TABLE_COLUMNS[i].key}
                  className={TEXT_COLUMNS.has(TABLE_COLUMNS[i].key) ? "px-4 py-2" : "px-4 py-2 text-right tabular-nums"}
                >
                  {cell ?? "—"}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      </div>
      <nav
        aria-label="Pages of the consolidation table"
        className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-xs text-slate-600"
      >
        <p>
          {total === 0
            ? "No guests match."
            : `Showing ${(current - 1) * REPORT_PAGE_SIZE + 1}–${Math.min(total, current * REPORT_PAGE_SIZE)} of ${total}`}
        </p>
        <div className="flex gap-2">
          {current > 1 && (
            <Link href={href({ page: current - 1 })} className={buttonClasses("secondary", "sm")}>
              Previous
            </Link>
          )}
          {current < pages && (
            <Link href={href({ page: current + 1 })} className={buttonClasses("secondary", "sm")}>
              Next
            </Link>
          )}
        </div>
      </nav>
    </Card>
  );
}
