"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { FleetHostRow } from "@/lib/shared/fleet-consolidation";
import { formatMiB } from "@/lib/shared/format";
import { AXIS, CAPACITY_COLOR, GUEST_COLORS } from "./chart-theme";

const label = (r: FleetHostRow) => (r.state === "reachable" ? r.name : `${r.name} (${r.state})`);

/** Each host's memory side by side: what it has, what its guests were given, what they use. */
export function HostMemoryChart({ rows }: { rows: FleetHostRow[] }) {
  const data = rows.map((r) => ({
    name: label(r),
    capacity: Math.round(r.capacityMiB),
    allocated: r.allocatedMiB,
    used: Math.round(r.usedMiB ?? 0),
  }));
  return (
    <div data-testid="host-memory-chart" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="name" tick={AXIS} />
          <YAxis tick={AXIS} tickFormatter={(v: number) => formatMiB(v)} width={72} />
          <Tooltip formatter={(v) => formatMiB(Number(v))} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="capacity" name="Host memory" fill={CAPACITY_COLOR} isAnimationActive={false} />
          <Bar dataKey="allocated" name="Allocated to guests" fill={GUEST_COLORS[1]} isAnimationActive={false} />
          <Bar dataKey="used" name="Used by guests" fill={GUEST_COLORS[0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Each host's CPU busy as a share of its own cores, so hosts of different sizes compare. */
export function HostCpuChart({ rows }: { rows: FleetHostRow[] }) {
  const data = rows.map((r) => ({
    name: label(r),
    busy: r.cpuPct === null || r.cpuCores <= 0 ? 0 : Math.round((r.cpuPct / r.cpuCores) * 10) / 10,
  }));
  return (
    <div data-testid="host-cpu-chart" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="name" tick={AXIS} />
          <YAxis tick={AXIS} domain={[0, 100]} tickFormatter={(v: number) => `${v} %`} width={48} />
          <Tooltip formatter={(v) => `${Number(v)} %`} contentStyle={{ fontSize: 12 }} />
          <Bar dataKey="busy" name="CPU busy (% of its cores)" fill={GUEST_COLORS[2]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
