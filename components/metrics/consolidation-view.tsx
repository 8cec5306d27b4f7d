"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useReducer } from "react";
import { apiGet } from "@/lib/shared/api-client";
import { consolidationReport, rankByIdleness, type ReportGuest } from "@/lib/shared/consolidation";
import { kindCosts } from "@/lib/shared/consolidation-kinds";
import { formatMiB, formatUtcTimestamp } from "@/lib/shared/format";
import type { GuestView, HostSampleView, MetricRange, MetricsSampleEvent, TickSample } from "@/lib/shared/protocol";
import { appendStacked, type StackedSeries } from "@/lib/shared/stacked-series";
import { useLiveGuests } from "@/lib/client/use-live-guests";
import { useMetricSamples } from "@/lib/client/use-metric-samples";
import { CapacityChart } from "./capacity-chart";
import { Card } from "../ui/card";
import { ConsolidationTable } from "./consolidation-table";
import { HeadlineFigures } from "./headline-figures";
import { KindCostChart } from "./kind-cost-chart";
import { ReclaimableChart } from "./reclaimable-chart";
import { UsageChart } from "./usage-chart";

export interface ConsolidationData {
  range: MetricRange;
  /** The host shown (null: none registered yet); its samples only, live from its daemon. */
  hostId: string | null;
  host: HostSampleView | null;
  /** The guests' samples of `host.at`'s tick. */
  latest: TickSample[];
  /** Each guest's CPU averaged over the 10 minutes to `host.at` (lib/server/metric-queries.ts). */
  cpuAvg: Record<string, number>;
  cpu: StackedSeries;
  mem: StackedSeries;
}

type Action =
  | { type: "rendered"; data: ConsolidationData }
  | { type: "sample"; event: MetricsSampleEvent; cpuAvg: Record<string, number> };

const HOUR_MS = 3600_000;
/** In a fleet the browser hears only its own daemon's ticks: the page re-reads the others this often. */
const FLEET_REFRESH_MS = 30_000;

function reduce(s: ConsolidationData, a: Action): ConsolidationData {
  if (a.type === "rendered") return a.data;
  const e = a.event;
  if (s.host && Date.parse(e.at) <= Date.parse(s.host.at)) return s;
  const t = Date.parse(e.at);
  const next = { ...s, host: e.host, latest: e.guests, cpuAvg: a.cpuAvg };
  // Only the hour is drawn from raw samples; the day and month charts redraw each minute.
  if (s.range !== "hour") return next;
  const cpu = e.guests.map((g) => ({ guestId: g.guestId, value: g.cpuPct }));
  const mem = e.guests.map((g) => ({ guestId: g.guestId, value: g.hostMemKiB / 1024 }));
  return {
    ...next,
    cpu: appendStacked(s.cpu, t, e.host.cpuPct, cpu, HOUR_MS),
    mem: appendStacked(s.mem, t, e.host.guestAllocatedMiB, mem, HOUR_MS),
  };
}

const pct = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} %`;

/**
 * The consolidation page's live part: figures, charts and the table, updated every tick.
 * `guests` is every guest in the few fields the report counts (the headline needs them all);
 * the table draws one page of them.
 */
export function ConsolidationView({
  guests: renderedGuests,
  data,
  fleet = false,
}: {
  guests: ReportGuest[];
  data: ConsolidationData;
  /** One host of several: its guests only, and the page re-reads itself for the hosts whose ticks it does not hear. */
  fleet?: boolean;
}) {
  const router = useRouter();
  const [state, dispatch] = useReducer(reduce, data);
  useEffect(() => dispatch({ type: "rendered", data }), [data]);
  const guests = useLiveGuests(renderedGuests, {
    resync: async () => {
      const r = await apiGet<GuestView[]>("/api/guests");
      return r.ok ? r.data.map(({ id, name, kind, state, memoryMiB }) => ({ id, name, kind, state, memoryMiB })) : null;
    },
    onCreated: () => router.refresh(),
    onDeleted: () => router.refresh(),
  });
  useMetricSamples({
    hostId: data.hostId,
    renderedAt: data.host?.at ?? null,
    // The tick and its averages change the page together, so the table is always one tick's (the CSV's).
    onSample: (event) =>
      void apiGet<Record<string, number>>(
        `/consolidation/averages?${new URLSearchParams({ at: event.at, ...(data.hostId ? { host: data.hostId } : {}) })}`,
      ).then((r) => {
        if (r.ok) dispatch({ type: "sample", event, cpuAvg: r.data });
        else router.refresh();
      }),
    onMissed: () => router.refresh(),
  });
  useEffect(() => {
    if (data.range === "hour" && !fleet) return;
    const timer = setInterval(() => router.refresh(), fleet ? FLEET_REFRESH_MS : 60_000);
    return () => clearInterval(timer);
  }, [data.range, fleet, router]);

  const report = useMemo(
    () => consolidationReport(guests, state.latest, new Map(Object.entries(state.cpuAvg)), state.host),
    [guests, state.latest, state.cpuAvg, state.host],
  );
  const host = state.host;
  const costs = useMemo(() => kindCosts(report.rows, host), [report.rows, host]);

  return (
    <div className="flex flex-col gap-6">
      {host ? (
        <p className="-mt-3 text-xs text-slate-500" data-testid="sampled-at">
          Figures as of {formatUtcTimestamp(host.at)}, live.
        </p>
      ) : (
        <p className="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-600">
          No samples yet. The host daemon samples every guest every few seconds while it runs.
        </p>
      )}
      <HeadlineFigures headline={report.headline} sampled={host !== null} />
      <Card title="Host cost per guest, by kind" aside="measured here: what more guests would cost">
        <KindCostChart costs={costs} />
      </Card>
      <div className="grid gap-6 xl:grid-cols-2">
        <Card title="Host CPU, stacked by guest" aside="% of one core">
          <UsageChart
            testId="cpu-chart"
            series={state.cpu}
            range={state.range}
            lineLabel="Whole host"
            capacity={host ? host.cpuCores * 100 : null}
            capacityLabel={host ? `${host.cpuCores} cores` : ""}
            format={pct}
          />
        </Card>
        <Card title="Host memory, stacked by guest">
          <UsageChart
            testId="memory-chart"
            series={state.mem}
            range={state.range}
            lineLabel="Allocated to running guests"
            capacity={host ? host.memTotalKiB / 1024 : null}
            capacityLabel={host ? `host memory ${formatMiB(host.memTotalKiB / 1024)}` : ""}
            format={(v) => formatMiB(Math.round(v))}
          />
        </Card>
        <Card title="Memory: capacity, allocated, used" aside="now">
          <CapacityChart headline={report.headline} />
        </Card>
        <Card title="Reclaimable memory, idlest guests first" aside="CPU: 10-minute average">
          <ReclaimableChart ranked={rankByIdleness(report.rows)} />
        </Card>
      </div>
      <ConsolidationTable report={report} hostId={fleet ? data.hostId : null} />
    </div>
  );
}
