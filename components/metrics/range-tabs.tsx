import clsx from "clsx";
import Link from "next/link";
import { METRIC_RANGES, type MetricRange } from "@/lib/shared/protocol";

const LABELS: Record<MetricRange, string> = { hour: "Hour", day: "Day", month: "30 days" };

/** The URL of `base` with `params` and range `r` (the hour: no parameter). */
function rangeHref(base: string, r: MetricRange, params: Record<string, string>): string {
  const q = new URLSearchParams(params);
  if (r !== "hour") q.set("range", r);
  return q.size ? `${base}?${q}` : base;
}

/** Chooses the charts' time range through the URL (`?range=`, kept with `params`), so a view can be linked. */
export function RangeTabs({
  base,
  current,
  params = {},
}: {
  base: string;
  current: MetricRange;
  params?: Record<string, string>;
}) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
      {METRIC_RANGES.map((r) => (
        <Link
          key={r}
          href={rangeHref(base, r, params)}
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
