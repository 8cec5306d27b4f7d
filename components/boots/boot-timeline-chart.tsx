"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { seekReplay } from "@/lib/client/replay-seek";
import { timelineRows, type BootAnalysis, type TimelineRow, type TimelineTone } from "@/lib/shared/boot-analysis";
import { AXIS } from "../metrics/chart-theme";
import { ENTRY_KIND_LABELS, formatSeconds } from "./entry-kinds";

const TONE_COLORS: Record<TimelineTone, string> = {
  phase: "#94a3b8",
  unit: "#0284c7",
  failed: "#e11d48",
  pending: "#d97706",
  problem: "#9f1239",
};
const ROW_PX = 18;

type Datum = TimelineRow & { offset: number; span: number; name: string };

/**
 * The boot as `systemd-analyze plot` draws it: one bar per phase and unit from its start to
 * its end, problems as marks at their moment, milestones as lines. A bar leads the replay
 * to the line that says how it went.
 */
export function BootTimelineChart({ analysis }: { analysis: BootAnalysis }) {
  const { rows, markers, hidden, total } = timelineRows(analysis);
  // A moment still needs a visible bar.
  const minSpan = Math.max(total, 1) / 250;
  const data: Datum[] = rows.map((r) => ({
    ...r,
    name: r.label.length > 48 ? `${r.label.slice(0, 47)}…` : r.label,
    offset: r.start,
    span: Math.max(r.end - r.start, minSpan),
  }));
  return (
    <div data-testid="boot-timeline-chart" className="w-full">
      <div style={{ height: 48 + data.length * ROW_PX }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={data}
            layout="vertical"
            barCategoryGap={2}
            margin={{ top: 24, right: 24, bottom: 0, left: 8 }}
          >
            <CartesianGrid stroke="#e2e8f0" horizontal={false} />
            <XAxis
              type="number"
              orientation="top"
              domain={[0, Math.ceil(total)]}
              tick={AXIS}
              tickFormatter={(v: number) => `${v} s`}
            />
            <YAxis type="category" dataKey="name" tick={{ ...AXIS, fontSize: 10 }} width={260} interval={0} />
            <Tooltip content={RowTooltip} cursor={{ fill: "#f1f5f9" }} />
            {markers.map((m) => (
              <ReferenceLine
                key={m.kind}
                x={m.at}
                stroke="#64748b"
                strokeDasharray="3 3"
                label={{ value: ENTRY_KIND_LABELS[m.kind], position: "insideTopRight", fontSize: 10, fill: "#475569" }}
              />
            ))}
            <Bar dataKey="offset" stackId="t" fill="transparent" isAnimationActive={false} />
            <Bar
              dataKey="span"
              stackId="t"
              isAnimationActive={false}
              cursor="pointer"
              onClick={(bar: { payload?: Datum }) => bar.payload && seekReplay(bar.payload.at)}
            >
              {data.map((d) => (
                <Cell key={d.key} fill={TONE_COLORS[d.tone]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      {hidden > 0 && (
        <p className="px-4 pb-2 text-xs text-slate-500">
          {hidden} more units are in the list below (the chart keeps problems and failures first).
        </p>
      )}
    </div>
  );
}

function RowTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const d = active ? (payload?.[0]?.payload as Datum | undefined) : undefined;
  if (!d) return null;
  const moment = d.start === d.end;
  return (
    <div className="max-w-md rounded border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-medium break-words text-slate-900">{d.label}</p>
      <p className="text-slate-600 tabular-nums">
        {moment
          ? `at ${formatSeconds(d.start)}`
          : `${formatSeconds(d.start)} → ${formatSeconds(d.end)} (${formatSeconds(d.end - d.start)})`}
        {d.tone === "failed" && " · failed"}
        {d.tone === "pending" && " · never finished"}
      </p>
      <p className="text-slate-400">Click to see it in the replay</p>
    </div>
  );
}
