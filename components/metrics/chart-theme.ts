// What every chart shares: guest colours, axis text and time labels.
import type { MetricRange } from "@/lib/shared/protocol";

/** Guest layers in order; "other guests" is always grey. */
export const GUEST_COLORS = ["#0284c7", "#7c3aed", "#059669", "#d97706", "#e11d48", "#0d9488", "#4f46e5", "#65a30d"];
export const OTHER_COLOR = "#94a3b8";
export const LINE_COLOR = "#0f172a";
export const CAPACITY_COLOR = "#dc2626";
export const RECLAIMABLE_COLOR = "#fbbf24";

export const AXIS = { fontSize: 11, fill: "#64748b" };

/**
 * Axis and tooltip time labels, in the viewer's time zone (charts draw only in the
 * browser). Seconds show when the data spans only a few minutes.
 */
export function formatTick(t: number, range: MetricRange, spanMs = Infinity): string {
  const d = new Date(t);
  if (range === "month") return d.toLocaleDateString([], { month: "short", day: "numeric" });
  if (spanMs < 10 * 60_000) return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function formatTooltipTime(t: number, range: MetricRange): string {
  const d = new Date(t);
  return range === "month"
    ? d.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
    : d.toLocaleTimeString();
}
