// The SVG path of a sparkline: a few dozen pixels wide, so at most one point per pixel.

/**
 * `values` (nulls leave gaps) as path data in a `width` × `height` box, `top` at the top.
 * More values than pixels are drawn a column each: the largest of the values that fall in
 * it (a spike stays visible; a column with none is a gap). A list of 50 guests draws 100 of
 * these from 120 samples each; a point per sample was a quarter of its page.
 */
export function sparklinePath(values: (number | null)[], top: number, width: number, height: number): string[] {
  const columns = values.length > width + 1 ? byColumn(values, width + 1) : values;
  const step = columns.length > 1 ? width / (columns.length - 1) : 0;
  const round = (x: number) => Math.round(x * 10) / 10;
  const segments: string[] = [];
  let current = "";
  columns.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    const y = height - 1 - (Math.min(v, top) / top) * (height - 2);
    current += `${current ? "L" : "M"}${round(i * step)},${round(y)}`;
  });
  if (current) segments.push(current);
  return segments;
}

/** `values` spread evenly over `n` columns, each the largest of its own (null if none). */
function byColumn(values: (number | null)[], n: number): (number | null)[] {
  const columns: (number | null)[] = new Array(n).fill(null);
  values.forEach((v, i) => {
    if (v === null) return;
    const c = Math.round((i * (n - 1)) / (values.length - 1));
    const was = columns[c];
    columns[c] = was === null ? v : Math.max(was, v);
  });
  return columns;
}
