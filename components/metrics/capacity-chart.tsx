"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Headline } from "@/lib/shared/consolidation";
import { formatMiB } from "@/lib/shared/format";
import { AXIS, CAPACITY_COLOR, GUEST_COLORS } from "./chart-theme";

/** Memory now: what the host has, what guests were promised, what they use. */
export function CapacityChart({ headline: h }: { headline: Headline }) {
  const bars = [
    { name: "Host memory", value: h.hostMemMiB ?? 0, color: CAPACITY_COLOR },
    { name: "Allocated to running guests", value: h.allocatedMiB, color: GUEST_COLORS[1] },
    { name: "Used on the host", value: h.hostUsedMiB, color: GUEST_COLORS[0] },
    { name: "Used inside guests", value: h.guestUsedMiB, color: GUEST_COLORS[2] },
  ];
  return (
    <div data-testid="capacity-chart" className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} layout="vertical" margin={{ top: 8, right: 72, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" tick={AXIS} tickFormatter={(v: number) => formatMiB(v)} />
          <YAxis type="category" dataKey="name" tick={AXIS} width={170} />
          <Tooltip formatter={(v) => formatMiB(Number(v))} contentStyle={{ fontSize: 12 }} />
          <Bar dataKey="value" name="Memory" isAnimationActive={false}>
            {bars.map((b) => (
              <Cell key={b.name} fill={b.color} />
            ))}
            <LabelList dataKey="value" position="right" formatter={(v) => formatMiB(Number(v))} fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
