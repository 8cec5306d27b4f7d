"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { MetricRange } from "@/lib/shared/protocol";
import { OTHER_KEY, type StackedSeries } from "@/lib/shared/stacked-series";
import {
  AXIS,
  CAPACITY_COLOR,
  formatTick,
  formatTooltipTime,
  GUEST_COLORS,
  LINE_COLOR,
  OTHER_COLOR,
} from "./chart-theme";

interface UsageChartProps {
  series: StackedSeries;
  range: MetricRange;
  /** Name of the line drawn over the stack (host total, allocated memory). */
  lineLabel: string;
  /** The host's capacity, drawn as a red rule. */
  capacity: number | null;
  capacityLabel: string;
  format: (value: number) => string;
  testId: string;
}

/** A host figure over time, stacked by guest, with the host's own line and its capacity. */
export function UsageChart({ series, range, lineLabel, capacity, capacityLabel, format, testId }: UsageChartProps) {
  if (series.points.length === 0) {
    return <p className="px-4 py-10 text-center text-sm text-slate-500">No samples in this range yet.</p>;
  }
  const color = (key: string, i: number) => (key === OTHER_KEY ? OTHER_COLOR : GUEST_COLORS[i % GUEST_COLORS.length]);
  const points = series.points;
  const span = points[points.length - 1].t - points[0].t;
  const peak = Math.max(
    ...points.map((p) =>
      Math.max(
        p.line ?? 0,
        series.layers.reduce((sum, l) => sum + (p[l.key] ?? 0), 0),
      ),
    ),
  );
  // A capacity far above the data would flatten it: name it instead of drawing it.
  const drawCapacity = capacity !== null && capacity <= Math.max(peak, 1e-9) * 3;
  return (
    <div className="w-full">
      <div data-testid={testId} className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={series.points} margin={{ top: 12, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(t: number) => formatTick(t, range, span)}
              tick={AXIS}
              minTickGap={40}
            />
            <YAxis tick={AXIS} tickFormatter={format} width={64} />
            <Tooltip
              labelFormatter={(t) => formatTooltipTime(Number(t), range)}
              formatter={(v) => format(Number(v))}
              contentStyle={{ fontSize: 12 }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.layers.map((l, i) => (
              <Area
                key={l.key}
                dataKey={l.key}
                name={l.label}
                stackId="guests"
                type="linear"
                stroke={color(l.key, i)}
                fill={color(l.key, i)}
                fillOpacity={0.55}
                isAnimationActive={false}
              />
            ))}
            <Line
              dataKey="line"
              name={lineLabel}
              type="linear"
              stroke={LINE_COLOR}
              strokeWidth={1.5}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
            {drawCapacity && (
              <ReferenceLine
                y={capacity!}
                stroke={CAPACITY_COLOR}
                ifOverflow="extendDomain"
                strokeDasharray="6 3"
                label={{ value: capacityLabel, position: "insideTopRight", fontSize: 11, fill: CAPACITY_COLOR }}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {capacity !== null && !drawCapacity && (
        <p className="px-4 pb-2 text-right text-xs text-slate-500">
          Capacity ({capacityLabel}) is off the top of this scale.
        </p>
      )}
    </div>
  );
}
