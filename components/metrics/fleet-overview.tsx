import { Download } from "lucide-react";
import { fleetTotals, type FleetHostRow } from "@/lib/shared/fleet-consolidation";
import type { MetricRange } from "@/lib/shared/protocol";
import { buttonClasses } from "../ui/button";
import { Card } from "../ui/card";
import { FleetFigures } from "./fleet-figures";
import { FleetHostTable } from "./fleet-host-table";
import { HostCpuChart, HostMemoryChart } from "./host-compare-chart";

/** The fleet at a glance: its totals, a row per host, and the hosts' memory side by side. */
export function FleetOverview({ rows, range }: { rows: FleetHostRow[]; range: MetricRange }) {
  return (
    <section aria-label="Fleet" className="flex flex-col gap-4">
      <FleetFigures totals={fleetTotals(rows)} />
      <Card
        title="Hosts"
        aside={
          <a
            href="/consolidation/csv/hosts"
            download
            className={buttonClasses("secondary", "sm")}
            data-testid="hosts-csv-download"
          >
            <Download aria-hidden className="size-3.5" />
            Download CSV
          </a>
        }
      >
        <FleetHostTable rows={rows} range={range} />
      </Card>
      <div className="grid gap-6 xl:grid-cols-2">
        <Card title="Memory by host: capacity, allocated, used" aside="each host's newest sample">
          <HostMemoryChart rows={rows} />
        </Card>
        <Card title="CPU busy by host" aside="% of each host's own cores">
          <HostCpuChart rows={rows} />
        </Card>
      </div>
    </section>
  );
}
