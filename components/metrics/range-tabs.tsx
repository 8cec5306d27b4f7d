import clsx from "clsx";
import Link from "next/link";
import { METRIC_RANGES, type MetricRange } from "@/lib/shared/protocol";

const LABELS: Record<MetricRange, string> = { hour: "Hour", day: "Day", month: "30 days" };

/** Chooses the charts' time range through the URL (`?range=`), so a view can be linked. */
export function RangeTabs({ base, current }: { base: string; current: MetricRange }) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
      {METRIC_RANGES.map((r) => (
        <Link
          key={r}
          href={r === "hour" ? base : `${base}?range=${r}`}
          aria-current={r === current ? "page" : undefined}
          scroll={false}
          className={clsx(
            "rounded px-3 py-1 text-xs font-medium",
            r === current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
          )}
        >
          {LABELS[r]}
        </Link>
      ))}
    </nav>
  );
}
