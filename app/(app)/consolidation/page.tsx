import type { Metadata } from "next";
import { BootHealthSummary } from "@/components/boots/boot-health-summary";
import { ConsolidationView } from "@/components/metrics/consolidation-view";
import { LiveUpdatesNotice } from "@/components/app-shell/live-updates-notice";
import { PageHeader } from "@/components/ui/page-header";
import { RangeTabs } from "@/components/metrics/range-tabs";
import { requireAllowed } from "@/lib/server/current-user";
import { findTick, RANGES, readTickDetail, readUsageHistory } from "@/lib/server/metric-queries";
import { metricRangeSchema } from "@/lib/shared/protocol";
import { listGuests } from "@/lib/server/reads/guests";
import { guestReader } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Consolidation" };

type Props = { searchParams: Promise<{ range?: string | string[] }> };

export default async function ConsolidationPage({ searchParams }: Props) {
  const user = await requireAllowed("metrics.read");
  const parsed = metricRangeSchema.safeParse((await searchParams).range);
  const range = parsed.success ? parsed.data : "hour";
  const [guests, host, usage] = await Promise.all([
    listGuests(guestReader(), user),
    findTick(),
    readUsageHistory(range),
  ]);
  const { latest, recent } = await readTickDetail(host);
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <PageHeader
        title="Consolidation"
        description="What this host carries, how many servers it replaces, and how much more it can take."
        actions={<RangeTabs base="/consolidation" current={range} />}
      />
      <LiveUpdatesNotice />
      <BootHealthSummary guests={guests} />
      <ConsolidationView guests={guests} data={{ range, host, latest, recent, cpu: usage.cpu, mem: usage.mem }} />
      <p className="text-xs text-slate-500">
        {RANGES[range].label}. Host memory used counts the guest RAM each guest has touched (UML never hands it back);
        used inside a guest is what its own <code>free</code> calls used. Reclaimable is allocated minus used inside the
        guest.
      </p>
    </div>
  );
}
