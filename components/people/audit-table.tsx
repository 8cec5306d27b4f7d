import clsx from "clsx";
import { ScrollText } from "lucide-react";
import { formatUtcTimestamp } from "@/lib/shared/format";
import type { AuditEntryView } from "@/lib/shared/protocol";
import { DataTable } from "../ui/data-table";

const COLUMNS = ["#", "Time (UTC)", "Who", "From", "Host", "Action", "Target", "Outcome", "Detail"];

const OUTCOME_TONES: Record<AuditEntryView["outcome"], string> = {
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  denied: "bg-amber-50 text-amber-900 ring-amber-300",
  failed: "bg-rose-50 text-rose-800 ring-rose-300",
};

/** Audit entries, newest first, as the daemon recorded them. */
export function AuditTable({ entries }: { entries: AuditEntryView[] }) {
  if (entries.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
        <ScrollText aria-hidden className="size-8 text-slate-300" />
        <p className="text-sm text-slate-600">No entries match this filter.</p>
      </div>
    );
  }
  return (
    <DataTable columns={COLUMNS}>
      {entries.map((e) => (
        <tr key={e.id} className="align-top">
          <td className="px-4 py-2 text-xs text-slate-400 tabular-nums">{e.id}</td>
          <td className="px-4 py-2 whitespace-nowrap tabular-nums">
            <time dateTime={e.at}>{formatUtcTimestamp(e.at).replace(" UTC", "")}</time>
          </td>
          <td className="px-4 py-2 font-medium text-slate-900">
            {e.actor ?? <span className="text-slate-400">—</span>}
          </td>
          <td className="px-4 py-2 font-mono text-xs">{e.ip ?? <span className="text-slate-400">—</span>}</td>
          <td className="px-4 py-2 text-xs">{e.host ?? <span className="text-slate-400">—</span>}</td>
          <td className="px-4 py-2">
            <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{e.action}</code>
          </td>
          <td className="px-4 py-2 break-all">{e.target ?? <span className="text-slate-400">—</span>}</td>
          <td className="px-4 py-2">
            <span
              className={clsx(
                "rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
                OUTCOME_TONES[e.outcome],
              )}
            >
              {e.outcome}
            </span>
          </td>
          <td className="px-4 py-2 text-slate-600">{e.detail ?? ""}</td>
        </tr>
      ))}
    </DataTable>
  );
}
