"use client";

import { useRouter } from "next/navigation";
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
import { formatMiB } from "@/lib/shared/format";
import type { GuestSampleView, MetricRange } from "@/lib/shared/protocol";
import { useMetricSamples } from "@/lib/client/use-metric-samples";
import { useRenderedState } from "@/lib/client/use-rendered-state";
import { AXIS, CAPACITY_COLOR, formatTick, formatTooltipTime, GUEST_COLORS } from "./chart-theme";

const HOUR_MS = 3600_000;

interface Point {
  t: number;
  cpu: number;
  cpuMax: number;
  host: number;
  used: number | null;
  load: number | null;
}

const toPoint = (s: GuestSampleView): Point => ({
  t: Date.parse(s.at),
  cpu: s.cpuPct,
  cpuMax: s.cpuPctMax,
  host: s.hostMemKiB / 1024,
  used: s.guestMemUsedKiB === null ? null : s.guestMemUsedKiB / 1024,
  load: s.guestLoad1,
});

function Chart({ testId, points, children }: { testId: string; points: Point[]; children: React.ReactNode }) {
  return (
    <div data-testid={testId} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 12, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          {children}
          <Legend wrapperStyle={{ fontSize: 12 }} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** One guest's CPU, memory and load over the range; the hour range follows live. */
export function GuestMetrics(props: {
  guestId: string;
  memoryMiB: number;
  range: MetricRange;
  history: GuestSampleView[];
  /** A context guest shares the host's kernel: it has no load average of its own. */
  hasOwnKernel: boolean;
}) {
  const { guestId, memoryMiB, range } = props;
  const router = useRouter();
  const [points, setPoints] = useRenderedState(props.history, (h) => h.map(toPoint));
  useMetricSamples({
    onSample: (e) => {
      const s = range === "hour" ? e.guests.find((g) => g.guestId === guestId) : undefined;
      if (!s) return;
      const p = toPoint(s);
      setPoints((ps) => (ps.length && p.t <= ps[ps.length - 1].t ? ps : [...ps.filter((x) => x.t > p.t - HOUR_MS), p]));
    },
    onMissed: () => router.refresh(),
  });

  if (points.length === 0) {
    return (
      <p className="px-4 py-10 text-center text-sm text-slate-500">
        No samples in this range. Start the guest: the host daemon samples it every few seconds.
      </p>
    );
  }
  const span = points[points.length - 1].t - points[0].t;
  const time = (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={["dataMin", "dataMax"]}
      tickFormatter={(t: number) => formatTick(t, range, span)}
      tick={AXIS}
      minTickGap={40}
    />
  );
  const tooltip = (format: (v: number) => string) => (
    <Tooltip
      labelFormatter={(t) => formatTooltipTime(Number(t), range)}
      formatter={(v) => format(Number(v))}
      contentStyle={{ fontSize: 12 }}
    />
  );
  const pct = (v: number) => `${v.toFixed(1)} %`;
  const mib = (v: number) => formatMiB(Math.round(v));
  return (
    <div className="grid gap-4 p-4 lg:grid-cols-3">
      <section aria-label="CPU">
        <h3 className="mb-1 text-xs font-medium text-slate-500">CPU, % of one host core</h3>
        <Chart testId="guest-cpu-chart" points={points}>
          {time}
          <YAxis tick={AXIS} tickFormatter={pct} width={56} />
          {tooltip(pct)}
          <Area
            dataKey="cpu"
            name="average"
            type="linear"
            stroke={GUEST_COLORS[0]}
            fill={GUEST_COLORS[0]}
            fillOpacity={0.3}
            isAnimationActive={false}
          />
          {range !== "hour" && (
            <Line
              dataKey="cpuMax"
              name="peak"
              type="linear"
              stroke={GUEST_COLORS[4]}
              dot={false}
              isAnimationActive={false}
            />
          )}
        </Chart>
      </section>
      <section aria-label="Memory">
        <h3 className="mb-1 text-xs font-medium text-slate-500">Memory</h3>
        <Chart testId="guest-memory-chart" points={points}>
          {time}
          <YAxis tick={AXIS} tickFormatter={mib} width={64} />
          {tooltip(mib)}
          <Area
            dataKey="host"
            name="used on the host"
            type="linear"
            stroke={GUEST_COLORS[1]}
            fill={GUEST_COLORS[1]}
            fillOpacity={0.25}
            isAnimationActive={false}
          />
          <Line
            dataKey="used"
            name="used inside the guest"
            type="linear"
            stroke={GUEST_COLORS[2]}
            dot={false}
            isAnimationActive={false}
          />
          <ReferenceLine
            y={memoryMiB}
            stroke={CAPACITY_COLOR}
            strokeDasharray="6 3"
            ifOverflow="extendDomain"
            label={{
              value: `allocated ${formatMiB(memoryMiB)}`,
              position: "insideTopRight",
              fontSize: 11,
              fill: CAPACITY_COLOR,
            }}
          />
        </Chart>
      </section>
      {props.hasOwnKernel && (
        <section aria-label="Load">
          <h3 className="mb-1 text-xs font-medium text-slate-500">Load average (1 min), as the guest reports it</h3>
          <Chart testId="guest-load-chart" points={points}>
            {time}
            <YAxis tick={AXIS} width={40} />
            {tooltip((v) => v.toFixed(2))}
            <Line
              dataKey="load"
              name="load"
              type="linear"
              stroke={GUEST_COLORS[3]}
              dot={false}
              isAnimationActive={false}
            />
          </Chart>
        </section>
      )}
    </div>
  );
}
