/** A header cell: its text, or a key and what to show (a sort link, a checkbox). */
export type TableColumn =
  string | { key: string; header: React.ReactNode; sort?: "ascending" | "descending" | "none"; className?: string };

/** The table every list page uses: a header row of columns, then the caller's rows. */
export function DataTable({
  columns,
  trailing,
  bodyClassName = "divide-y divide-slate-100 text-slate-700",
  children,
}: {
  columns: readonly TableColumn[];
  /** Screen-reader name of an unlabelled last column (actions, links). */
  trailing?: string;
  bodyClassName?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-500">
          <tr>
            {columns.map((c) =>
              typeof c === "string" ? (
                <th key={c} scope="col" className="px-4 py-2 font-medium whitespace-nowrap">
                  {c}
                </th>
              ) : (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={c.sort}
                  className={c.className ?? "px-4 py-2 font-medium whitespace-nowrap"}
                >
                  {c.header}
                </th>
              ),
            )}
            {trailing && (
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">{trailing}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className={bodyClassName}>{children}</tbody>
      </table>
    </div>
  );
}
