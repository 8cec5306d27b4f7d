import type { Metadata } from "next";
import { BootHealthSummary } from "@/components/boots/boot-health-summary";
import { ConsolidationView } from "@/components/metrics/consolidation-view";
import { LiveUpdatesNotice } from "@/components/app-shell/live-updates-notice";
import { PageHeader } from "@/components/ui/page-header";
import { RangeTabs } from "@/components/metrics/range-tabs";
import { requireAllowed } from "@/lib/server/current-user";
import { findTick, RANGES, readCpuAverages, readTickSamples, readUsageHistory } from "@/lib/server/metric-queries";
import { metricRangeSchema } from "@/lib/shared/protocol";
import { listLastBootHealth } from "@/lib/server/reads/boot-analyses";
import { listGuestsForReport } from "@/lib/server/reads/guests";
import { db } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Consolidation" };

// The table's search, state, sort and page are URL parameters too, read in the browser
// (components/metrics/consolidation-table.tsx): the report needs every guest either way.
type Props = { searchParams: Promise<{ range?: string | string[] }> };

export default async function ConsolidationPage({ searchParams }: Props) {
  await requireAllowed("metrics.read");
  const parsed = metricRangeSchema.safeParse((await searchParams).range);
  const range = parsed.success ? parsed.data : "hour";
  const [guests, host, usage, bootHealth] = await Promise.all([
    listGuestsForReport(db),
    findTick(),
    readUsageHistory(range),
    listLastBootHealth(db),
  ]);
  const [latest, cpuAvg] = await Promise.all([readTickSamples(host), readCpuAverages(host)]);
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <PageHeader
        title="Consolidation"
        description="What this host carries, how many servers it replaces, and how much more it can take."
        actions={<RangeTabs base="/consolidation" current={range} />}
      />
      <LiveUpdatesNotice />
      <BootHealthSummary guests={bootHealth} />
      <ConsolidationView guests={guests} data={{ range, host, latest, cpuAvg, cpu: usage.cpu, mem: usage.mem }} />
      <p className="text-xs text-slate-500">
        {RANGES[range].label}. Host memory used counts the guest RAM each UML guest has touched (UML never hands it
        back), and a context guest&apos;s cgroup charge less the file cache the host can drop; used inside a guest is
        what its own <code>free</code> calls used (a context guest: its processes&apos; anonymous memory). Reclaimable
        is allocated minus used inside the guest. Cost per guest is the mean of a kind&apos;s running guests; headroom
        keeps 10 % of host memory for the host.
      </p>
    </div>
  );
}
