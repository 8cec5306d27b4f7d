"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { KindCost } from "@/lib/shared/consolidation-kinds";
import { formatMiB } from "@/lib/shared/format";
import type { GuestKind } from "@/lib/shared/protocol";
import { AXIS, GUEST_COLORS } from "./chart-theme";

const KIND_LABEL: Record<GuestKind, string> = { uml: "UML (own kernel)", context: "Context (shared kernel)" };
const KIND_COLOR: Record<GuestKind, string> = { uml: GUEST_COLORS[0], context: GUEST_COLORS[2] };

interface Bars {
  testId: string;
  title: string;
  costs: KindCost[];
  value: (c: KindCost) => number | null;
  format: (v: number) => string;
}

/** One figure per kind, side by side as bars; a kind with no running guest has no bar and says so. */
function KindBars({ testId, title, costs, value, format }: Bars) {
  const data = costs.map((c) => ({
    name: KIND_LABEL[c.kind],
    kind: c.kind,
    value: value(c) ?? 0,
    known: value(c) !== null,
  }));
  return (
    <figure data-testid={testId} className="flex flex-col gap-1">
      <figcaption className="text-xs font-medium text-slate-600">{title}</figcaption>
      <div className="h-32 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 72, bottom: 0, left: 8 }}>
            <CartesianGrid stroke="#e2e8f0" horizontal={false} />
            <XAxis type="number" tick={AXIS} tickFormatter={(v: number) => format(v)} />
            <YAxis type="category" dataKey="name" tick={AXIS} width={150} />
            <Tooltip formatter={(v) => format(Number(v))} contentStyle={{ fontSize: 12 }} />
            <Bar dataKey="value" name={title} isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.kind} fill={KIND_COLOR[d.kind]} />
              ))}
              <LabelList
                dataKey="value"
                position="right"
                fontSize={11}
                content={({ x, y, width, height, index }) => {
                  const d = data[Number(index)];
                  return (
                    <text
                      x={Number(x) + Number(width) + 4}
                      y={Number(y) + Number(height) / 2}
                      dominantBaseline="middle"
                      fontSize={11}
                      fill="#334155"
                    >
                      {d.known ? format(d.value) : "none running"}
                    </text>
                  );
                }}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

const pct = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)} %`;
const count = (v: number) => String(Math.round(v));

const CHARTS: Array<Omit<Bars, "costs">> = [
  {
    testId: "kind-memory-chart",
    title: "Host memory per running guest",
    value: (c) => c.memPerGuestMiB,
    format: formatMiB,
  },
  {
    testId: "kind-cpu-chart",
    title: "Host CPU per running guest (% of a core)",
    value: (c) => c.cpuPctPerGuest,
    format: pct,
  },
  {
    testId: "kind-headroom-chart",
    title: "More guests that fit now, at that cost",
    value: (c) => c.headroom,
    format: count,
  },
  {
    testId: "kind-all-chart",
    title: "More guests than today, if every running guest were this kind",
    value: (c) => c.moreIfAllWere,
    format: count,
  },
];

/**
 * The host cost of one guest of each kind, measured on this host (mean of its running guests:
 * host memory held, CPU over the last 10 minutes), and what that cost means in guests: how
 * many more fit now, and how many more would if every running guest were of that kind.
 */
export function KindCostChart({ costs }: { costs: KindCost[] }) {
  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-4 md:grid-cols-2">
        {CHARTS.map((c) => (
          <KindBars key={c.testId} {...c} costs={costs} />
        ))}
      </div>
      <ul className="grid gap-1 text-xs text-slate-600 md:grid-cols-2" data-testid="kind-costs">
        {costs.map((c) => (
          <li key={c.kind} data-kind={c.kind}>
            <span className="font-medium text-slate-800">{KIND_LABEL[c.kind]}</span>: {c.running} running of {c.defined}{" "}
            defined, {formatMiB(Math.round(c.hostUsedMiB))} and {c.cpuCores.toFixed(2)} cores in all
            {c.boundBy ? ` · headroom bound by ${c.boundBy}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
