import clsx from "clsx";
import { PROBLEM_SEVERITY, type BootEntry } from "@/lib/shared/boot-analysis";
import { BootMomentLink } from "./boot-moment-link";
import { ENTRY_KIND_LABELS, formatSeconds } from "./entry-kinds";

/** Everything the analysis recognised, in the order it happened, each a link into the replay. */
export function BootEntryList({ entries, dropped }: { entries: BootEntry[]; dropped: number }) {
  return (
    <details className="group">
      <summary className="cursor-pointer px-4 py-2 text-sm text-sky-700 hover:text-sky-900">
        Every entry ({entries.length}
        {dropped > 0 ? `, ${dropped} more left out of a very long log` : ""})
      </summary>
      <table className="w-full text-left text-sm">
        <thead className="border-y border-slate-200 bg-slate-50 text-xs text-slate-500">
          <tr>
            <th className="px-4 py-1.5 font-medium">At</th>
            <th className="px-4 py-1.5 font-medium">What</th>
            <th className="px-4 py-1.5 font-medium">Line</th>
            <th className="px-4 py-1.5 text-right font-medium">Took</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entries.map((e, i) => (
            <tr key={i} className={clsx(PROBLEM_SEVERITY[e.kind] && "bg-rose-50/40")}>
              <td className="px-4 py-1 whitespace-nowrap tabular-nums">
                <BootMomentLink at={e.at}>{formatSeconds(e.at)}</BootMomentLink>
              </td>
              <td className="px-4 py-1 whitespace-nowrap text-slate-600">{ENTRY_KIND_LABELS[e.kind]}</td>
              <td className="px-4 py-1 font-mono text-xs break-all text-slate-700">{e.label}</td>
              <td className="px-4 py-1 text-right whitespace-nowrap text-slate-500 tabular-nums">
                {e.durationSeconds !== undefined ? formatSeconds(e.durationSeconds) : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
