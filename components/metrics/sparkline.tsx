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
  const step = values.length > 1 ? W / (values.length - 1) : 0;
  const segments: string[] = [];
  let current = "";
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (H - 1 - (v / top) * (H - 2)).toFixed(1);
    current += `${current ? "L" : "M"}${x},${y}`;
  });
  if (current) segments.push(current);
  return (
    <svg role="img" aria-label={label} width={W} height={H} viewBox={`0 0 ${W} ${H}`} className="overflow-visible">
      <title>{label}</title>
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke={color} strokeWidth={1.25} strokeLinejoin="round" />
      ))}
    </svg>
  );
}
