import clsx from "clsx";

const FILL = { sky: "bg-sky-500", amber: "bg-amber-500", rose: "bg-rose-500" } as const;

interface BarProps {
  /** "meter": how much of a limit is used; "progressbar": work under way. */
  role: "meter" | "progressbar";
  label: string;
  value: number;
  max: number;
  /** What the bar says in words (aria-valuetext); omitted when the numbers say it. */
  text?: string;
  /** How full it is drawn, 0…1. */
  fraction: number;
  tone: keyof typeof FILL;
  compact?: boolean;
  className?: string;
}

/** The bar alone: a track, its fill, and what assistive technology reads of it. */
export function Bar({ role, label, value, max, text, fraction, tone, compact = false, className }: BarProps) {
  return (
    <div
      role={role}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={text}
      className={clsx("overflow-hidden rounded-full bg-slate-100", compact ? "h-1.5" : "h-2", className)}
    >
      <div
        className={clsx("h-full rounded-full transition-[width]", FILL[tone])}
        style={{ width: `${Math.round(Math.min(Math.max(fraction, 0), 1) * 100)}%` }}
      />
    </div>
  );
}

/** A bar under a line naming it (left) and saying how far it is (right). */
export function LabelledBar({ text, compact = false, ...bar }: BarProps & { text: string }) {
  return (
    <div className={clsx("flex flex-col", compact ? "gap-0.5" : "gap-1")}>
      <div className={clsx("flex items-baseline justify-between gap-3", compact ? "text-xs" : "text-sm")}>
        <span className="text-slate-600">{bar.label}</span>
        <span className="text-slate-800 tabular-nums">{text}</span>
      </div>
      <Bar {...bar} text={text} compact={compact} />
    </div>
  );
}

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
  return (
    <LabelledBar
      role="meter"
      label={label}
      value={used}
      max={max}
      text={`${format(used)} of ${format(max)}`}
      fraction={fraction}
      tone={fraction >= 1 ? "rose" : fraction >= 0.8 ? "amber" : "sky"}
      compact={compact}
    />
  );
}
