// Host usage over time, stacked by guest: the largest guests each get a layer, the rest
// share one ("other guests"), so a host with a hundred guests still draws a readable chart.

export const OTHER_KEY = "other";

export interface StackLayer {
  /** Data key in each point: "s0"… for a guest, OTHER_KEY for the rest. */
  key: string;
  label: string;
}

/** One tick: each layer's value, plus the host's own figure drawn as a line. */
export type StackedPoint = { t: number; line: number | null } & Record<string, number | null>;

export interface StackedSeries {
  layers: StackLayer[];
  /** Which layer each guest is drawn in; guests not listed go to OTHER_KEY. */
  layerOf: Record<string, string>;
  points: StackedPoint[];
}

export interface GuestValue {
  guestId: string;
  t: number;
  value: number;
}

export interface StackTick {
  t: number;
  /** The host's figure, drawn as a line over the layers. */
  line: number | null;
  /** The sum over every guest at this tick: what the layers add up to. */
  total: number;
}

/**
 * Stacks the values of `layerGuests` (each its own layer, in that order) on `ticks`; the
 * other guests' share is what remains of each tick's total, in one layer when `others` > 0.
 */
export function stackByGuest(
  values: GuestValue[],
  ticks: StackTick[],
  layerGuests: Array<{ id: string; name: string }>,
  others: number,
): StackedSeries {
  const layerOf = Object.fromEntries(layerGuests.map((g, i) => [g.id, `s${i}`]));
  const layers: StackLayer[] = layerGuests.map((g, i) => ({ key: `s${i}`, label: g.name }));
  if (others > 0) layers.push({ key: OTHER_KEY, label: others === 1 ? "1 other guest" : `${others} other guests` });
  const byTick = new Map<number, StackedPoint>();
  const points = ticks.map(({ t, line }) => {
    const p = { t, line } as StackedPoint;
    for (const l of layers) p[l.key] = 0;
    byTick.set(t, p);
    return p;
  });
  for (const v of values) {
    const p = byTick.get(v.t);
    const key = layerOf[v.guestId];
    if (p && key) p[key] = (p[key] ?? 0) + v.value;
  }
  if (others > 0) {
    for (const [i, p] of points.entries()) {
      const own = layerGuests.reduce((sum, g) => sum + (p[layerOf[g.id]] ?? 0), 0);
      p[OTHER_KEY] = Math.max(0, ticks[i].total - own);
    }
  }
  return { layers, layerOf, points };
}

/** The guests with the highest averages get a layer each; how many are left for "other". */
export function chooseLayers<G extends { id: string; average: number }>(guests: G[], top = 8) {
  const ranked = [...guests].sort((a, b) => b.average - a.average || a.id.localeCompare(b.id));
  const own = ranked.length <= top + 1 ? ranked : ranked.slice(0, top);
  return { layerGuests: own, others: ranked.length - own.length };
}

/** Adds one live tick (keeping the layers), dropping points older than `windowMs`. */
export function appendStacked(
  s: StackedSeries,
  t: number,
  line: number | null,
  values: Array<{ guestId: string; value: number }>,
  windowMs: number,
): StackedSeries {
  if (s.points.length && t <= s.points[s.points.length - 1].t) return s;
  const p = { t, line } as StackedPoint;
  let layers = s.layers;
  for (const l of layers) p[l.key] = 0;
  for (const v of values) {
    const key = s.layerOf[v.guestId] ?? OTHER_KEY;
    if (!(key in p)) {
      // A guest that started after the page was drawn, and no "other" layer yet.
      layers = [...layers, { key: OTHER_KEY, label: "other guests" }];
      p[key] = 0;
    }
    p[key] = (p[key] ?? 0) + v.value;
  }
  const points = [...s.points.filter((x) => x.t > t - windowMs), p];
  return { ...s, layers, points };
}
