import { sparklinePath } from "@/lib/shared/sparkline-path";

/**
 * A tiny line of recent values (nulls leave gaps), drawn as plain SVG: a list of a hundred
 * guests redraws two of these per guest on every tick.
 */
export function Sparkline({
  values,
  max,
  label,
  color = "#0284c7",
}: {
  values: (number | null)[];
  /** Top of the scale; defaults to the largest value. */
  max?: number;
  label: string;
  color?: string;
}) {
  const W = 64;
  const H = 14;
  const top = Math.max(max ?? 0, ...values.map((v) => v ?? 0), 1e-9);
  const segments = sparklinePath(values, top, W, H);
  return (
    <svg role="img" aria-label={label} width={W} height={H} viewBox={`0 0 ${W} ${H}`} className="overflow-visible">
      <title>{label}</title>
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke={color} strokeWidth={1.25} strokeLinejoin="round" />
      ))}
    </svg>
  );
}
