import clsx from "clsx";
import { PROBLEM_SEVERITY, type BootEntry } from "@/lib/shared/boot-analysis";
import { BootMomentLink } from "./boot-moment-link";
import { ENTRY_KIND_LABELS, formatSeconds, SEVERITY_CLASSES } from "./entry-kinds";

const CAUSES = { failed: "failed", dependency: "a dependency failed", timeout: "timed out" } as const;

/** The boot's problems, most severe first; each leads the replay to its line. */
export function BootProblemList({ problems }: { problems: BootEntry[] }) {
  if (problems.length === 0) {
    return (
      <p className="px-4 py-4 text-sm text-slate-600">
        No problems: no failed unit, oops, panic, OOM kill or filesystem repair.
      </p>
    );
  }
  return (
    <ul aria-label="Problems" className="divide-y divide-slate-100">
      {problems.map((p, i) => {
        const severity = PROBLEM_SEVERITY[p.kind] ?? "warning";
        return (
          <li key={i} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2 text-sm">
            <span
              className={clsx(
                "inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
                SEVERITY_CLASSES[severity],
              )}
            >
              {ENTRY_KIND_LABELS[p.kind]}
              {p.count && p.count > 1 ? ` ×${p.count}` : ""}
            </span>
            {p.unit && <span className="font-medium text-slate-900">{p.unit}</span>}
            <span className="min-w-0 grow font-mono text-xs break-words text-slate-700">{p.label}</span>
            {p.cause && p.cause !== "failed" && <span className="text-xs text-slate-500">({CAUSES[p.cause]})</span>}
            <BootMomentLink at={p.at} className="text-xs tabular-nums">
              Show at {formatSeconds(p.at)}
            </BootMomentLink>
          </li>
        );
      })}
    </ul>
  );
}
