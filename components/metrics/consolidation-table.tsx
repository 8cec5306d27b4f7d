import { Download } from "lucide-react";
import { TABLE_COLUMNS, tableCells, type ConsolidationReport } from "@/lib/shared/consolidation";
import { buttonClasses } from "../ui/button";
import { Card } from "../ui/card";
import { DataTable } from "../ui/data-table";

/** The URL of the CSV export of the report at `at` (the tick the page shows). */
export function consolidationCsvHref(at: string | null): string {
  return at ? `/consolidation/csv?at=${encodeURIComponent(at)}` : "/consolidation/csv";
}

/** Every guest's figures at the report's tick, as exported. */
export function ConsolidationTable({ report }: { report: ConsolidationReport }) {
  return (
    <Card
      title="Guests"
      aside={
        <a
          href={consolidationCsvHref(report.at)}
          download
          className={buttonClasses("secondary", "sm")}
          data-testid="csv-download"
        >
          <Download aria-hidden className="size-3.5" />
          Download CSV
        </a>
      }
    >
      <div aria-label="Consolidation table" role="region">
        <DataTable columns={TABLE_COLUMNS.map((c) => c.label)}>
          {report.rows.map((r) => (
            <tr key={r.guestId} data-guest={r.guestId}>
              {tableCells(r).map((cell, i) => (
                <td key={TABLE_COLUMNS[i].key} className={i < 2 ? "px-4 py-2" : "px-4 py-2 text-right tabular-nums"}>
                  {cell ?? "—"}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      </div>
    </Card>
  );
}
