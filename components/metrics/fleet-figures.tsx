import { DEFAULT_GUEST_MEMORY_MIB, type FleetTotals } from "@/lib/shared/fleet-consolidation";
import { formatMiB } from "@/lib/shared/format";
import { Figure } from "./headline-figures";

const cores = (n: number) => n.toFixed(n < 10 ? 2 : 1);

/** The fleet's totals across its hosts: what a manager reads first when there are several. */
export function FleetFigures({ totals: t }: { totals: FleetTotals }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" aria-label="Fleet totals">
      <Figure
        id="fleet-hosts"
        label="Hosts"
        value={t.hosts}
        note={t.hostsReachable === t.hosts ? "all reachable" : `${t.hosts - t.hostsReachable} unreachable`}
      />
      <Figure
        id="fleet-guests-running"
        label="Guests running"
        value={t.guestsRunning}
        note={`of ${t.guestsTotal} defined${t.guestsUnknown ? ` · ${t.guestsUnknown} unknown (host unreachable)` : ""}`}
      />
      <Figure
        id="fleet-memory-allocated"
        label="Memory allocated"
        value={formatMiB(t.allocatedMiB)}
        note={`of ${formatMiB(t.capacityMiB)} on all hosts`}
      />
      <Figure id="fleet-memory-used" label="Memory guests use" value={formatMiB(t.usedMiB)} note="on reachable hosts" />
      <Figure
        id="fleet-cpu"
        label="CPU busy"
        value={`${cores(t.cpuPct / 100)} of ${t.cpuCores} cores`}
        note="on reachable hosts"
      />
      <Figure
        id="fleet-headroom"
        label="Headroom"
        value={`${t.headroom} × ${formatMiB(DEFAULT_GUEST_MEMORY_MIB)}`}
        note="more guests of the default size, on hosts taking new guests"
      />
    </dl>
  );
}
