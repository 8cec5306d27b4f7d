import clsx from "clsx";

interface UsageBarProps {
  label: string;
  used: number;
  max: number;
  /** How `used` and `max` read, e.g. "512 MiB". */
  format: (n: number) => string;
  compact?: boolean;
}

/** One quota: how much is used of how much, as a bar that turns amber near the limit and red at it. */
export function UsageBar({ label, used, max, format, compact = false }: UsageBarProps) {
  const fraction = max > 0 ? Math.min(used / max, 1) : used > 0 ? 1 : 0;
  const text = `${format(used)} of ${format(max)}`;
  return (
    <div className={clsx("flex flex-col", compact ? "gap-0.5" : "gap-1")}>
      <div className={clsx("flex items-baseline justify-between gap-3", compact ? "text-xs" : "text-sm")}>
        <span className="text-slate-600">{label}</span>
        <span className="text-slate-800 tabular-nums">{text}</span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={used}
        aria-valuetext={text}
        className={clsx("overflow-hidden rounded-full bg-slate-100", compact ? "h-1.5" : "h-2")}
      >
        <div
          className={clsx(
            "h-full rounded-full",
            fraction >= 1 ? "bg-rose-500" : fraction >= 0.8 ? "bg-amber-500" : "bg-sky-500",
          )}
          style={{ width: `${Math.round(fraction * 100)}%` }}
        />
      </div>
    </div>
  );
}
