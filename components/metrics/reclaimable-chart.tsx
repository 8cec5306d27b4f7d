"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReportRow } from "@/lib/shared/consolidation";
import { formatMiB } from "@/lib/shared/format";
import { AXIS, GUEST_COLORS, RECLAIMABLE_COLOR } from "./chart-theme";

const SHOWN = 15;

/**
 * Running guests idlest first (lowest CPU over the last minutes): each bar is the guest's
 * allocation, split into what it uses and what could be given back.
 */
export function ReclaimableChart({ ranked }: { ranked: ReportRow[] }) {
  if (ranked.length === 0) {
    return <p className="px-4 py-10 text-center text-sm text-slate-500">No running guests.</p>;
  }
  const data = ranked.slice(0, SHOWN).map((r) => ({
    name: `${r.name} · ${(r.cpuPctAvg ?? 0).toFixed(1)} % CPU`,
    used: r.allocatedMiB - (r.reclaimableMiB ?? 0),
    reclaimable: r.reclaimableMiB ?? 0,
  }));
  return (
    <div data-testid="reclaimable-chart" style={{ height: 60 + data.length * 28 }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" tick={AXIS} tickFormatter={(v: number) => formatMiB(v)} />
          <YAxis type="category" dataKey="name" tick={AXIS} width={190} />
          <Tooltip formatter={(v) => formatMiB(Number(v))} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="used" name="Used" stackId="m" fill={GUEST_COLORS[0]} isAnimationActive={false} />
          <Bar
            dataKey="reclaimable"
            name="Reclaimable"
            stackId="m"
            fill={RECLAIMABLE_COLOR}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
