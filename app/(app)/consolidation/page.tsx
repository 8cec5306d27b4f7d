import type { Metadata } from "next";
import { BootHealthSummary } from "@/components/boots/boot-health-summary";
import { ConsolidationView } from "@/components/metrics/consolidation-view";
import { FleetOverview } from "@/components/metrics/fleet-overview";
import { HostTabs } from "@/components/metrics/host-tabs";
import { LiveUpdatesNotice } from "@/components/app-shell/live-updates-notice";
import { PageHeader } from "@/components/ui/page-header";
import { RangeTabs } from "@/components/metrics/range-tabs";
import { requireAllowed } from "@/lib/server/current-user";
import { findTick, RANGES, readCpuAverages, readTickSamples, readUsageHistory } from "@/lib/server/metric-queries";
import { metricRangeSchema } from "@/lib/shared/protocol";
import { listLastBootHealth } from "@/lib/server/reads/boot-analyses";
import { defaultHostId, readFleetConsolidation } from "@/lib/server/reads/fleet-consolidation";
import { listGuestsForReport } from "@/lib/server/reads/guests";
import { db } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Consolidation" };

// The table's search, state, sort and page are URL parameters too, read in the browser
// (components/metrics/consolidation-table.tsx): the report needs every guest either way.
// With several hosts the page starts with the fleet (totals, a row per host, a chart), then
// shows one host's report, chosen by `?host=`; with one host it is that host's report alone.
type Props = { searchParams: Promise<{ range?: string | string[]; host?: string | string[] }> };

export default async function ConsolidationPage({ searchParams }: Props) {
  const user = await requireAllowed("metrics.read");
  const params = await searchParams;
  const parsed = metricRangeSchema.safeParse(params.range);
  const range = parsed.success ? parsed.data : "hour";
  const hosts = await readFleetConsolidation(db, user);
  const fleet = hosts.length > 1;
  const shown = hosts.find((h) => h.hostId === params.host) ?? hosts.find((h) => h.hostId === defaultHostId(hosts));
  const hostId = shown?.hostId ?? null;
  const [guests, host, usage, bootHealth] = await Promise.all([
    listGuestsForReport(db, fleet && hostId ? hostId : undefined),
    findTick(undefined, hostId),
    readUsageHistory(range, hostId),
    listLastBootHealth(db),
  ]);
  const [latest, cpuAvg] = await Promise.all([readTickSamples(host), readCpuAverages(host)]);
  const rangeParams: Record<string, string> = fleet && hostId ? { host: hostId } : {};
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <PageHeader
        title="Consolidation"
        description={
          fleet
            ? `What the fleet's ${hosts.length} hosts carry, how many servers they replace, and how much more each can take.`
            : "What this host carries, how many servers it replaces, and how much more it can take."
        }
        actions={<RangeTabs base="/consolidation" current={range} params={rangeParams} />}
      />
      <LiveUpdatesNotice />
      <BootHealthSummary guests={bootHealth} />
      {fleet && <FleetOverview rows={hosts} range={range} />}
      {fleet && hostId && (
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-5">
          <h2 className="text-base font-semibold text-slate-900" data-testid="host-shown">
            Host {shown?.name}
          </h2>
          <HostTabs hosts={hosts} current={hostId} range={range} />
        </div>
      )}
      {fleet && shown?.state === "unreachable" && (
        <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="status">
          Host {shown.name} is unreachable: its daemon has not been heard from for three heartbeats. The figures below
          are its last samples{shown.sampledAt ? ` (${shown.sampledAt.slice(0, 19).replace("T", " ")} UTC)` : ""}, and
          its guests&apos; states are unknown until it returns.
        </p>
      )}
      <ConsolidationView
        guests={guests}
        fleet={fleet}
        data={{ range, hostId, host, latest, cpuAvg, cpu: usage.cpu, mem: usage.mem }}
      />
      <p className="text-xs text-slate-500">
        {RANGES[range].label}. Host memory used counts the guest RAM each UML guest has touched (UML never hands it
        back), and a context guest&apos;s cgroup charge less the file cache the host can drop; used inside a guest is
        what its own <code>free</code> calls used (a context guest: its processes&apos; anonymous memory). Reclaimable
        is allocated minus used inside the guest. Cost per guest is the mean of a kind&apos;s running guests; headroom
        keeps 10 % of host memory for the host.
        {fleet &&
          " In the fleet table, headroom counts guests of the default size a host can still take, within what it offers guests; the fleet's headroom counts only hosts that take new guests (reachable, not in maintenance)."}
      </p>
    </div>
  );
}
