import { FileText } from "lucide-react";
import Link from "next/link";
import { formatDuration, msBetween } from "@/lib/shared/format";
import type { BootView } from "@/lib/shared/protocol";
import { BootHealthBadge } from "../boots/boot-health-badge";
import { OutcomeBadge } from "./outcome-badge";
import { RelativeTime } from "../ui/relative-time";
import { DataTable } from "@/components/ui/data-table";

const COLUMNS = ["Boot", "Started", "First output after", "Ready after", "Duration", "Outcome"];

function Span({ from, to }: { from: string; to: string | null }) {
  const ms = msBetween(from, to);
  return ms === null ? (
    <span className="text-slate-400">—</span>
  ) : (
    <span className="tabular-nums">{formatDuration(ms)}</span>
  );
}

/** Every boot of one guest, newest first, with its timings and how it ended. */
export function BootHistory({ guestId, boots }: { guestId: string; boots: BootView[] }) {
  if (boots.length === 0) {
    return (
      <p className="px-4 py-8 text-center text-sm text-slate-500">
        No boots yet. Start the guest to record its first boot.
      </p>
    );
  }
  return (
    <DataTable columns={COLUMNS} trailing="Log" bodyClassName="divide-y divide-slate-100 text-slate-700">
      {boots.map((b) => (
        <tr key={b.number}>
          <td className="px-4 py-2 font-medium tabular-nums">#{b.number}</td>
          <td className="px-4 py-2 whitespace-nowrap">
            <RelativeTime iso={b.startedAt} />
          </td>
          <td className="px-4 py-2">
            <Span from={b.startedAt} to={b.firstOutputAt} />
          </td>
          <td className="px-4 py-2">
            <Span from={b.startedAt} to={b.readyAt} />
          </td>
          <td className="px-4 py-2">
            {b.endedAt ? <Span from={b.startedAt} to={b.endedAt} /> : <span className="text-slate-400">running</span>}
          </td>
          <td className="px-4 py-2">
            <span className="inline-flex items-center gap-2">
              <OutcomeBadge outcome={b.outcome} detail={b.detail} ended={b.endedAt !== null} />
              <BootHealthBadge health={b.health} />
            </span>
          </td>
          <td className="px-4 py-2 text-right">
            <Link
              href={`/guests/${encodeURIComponent(guestId)}/boots/${b.number}`}
              prefetch={false}
              className="inline-flex items-center gap-1 text-sky-700 hover:text-sky-900 hover:underline"
            >
              <FileText aria-hidden className="size-3.5" />
              {b.logPrunedAt ? "Log pruned" : b.logTruncated ? "View log (truncated)" : "View log"}
            </Link>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
