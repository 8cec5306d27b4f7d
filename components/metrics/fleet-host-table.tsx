import clsx from "clsx";
import Link from "next/link";
import { DEFAULT_GUEST_MEMORY_MIB, type FleetHostRow, type FleetHostState } from "@/lib/shared/fleet-consolidation";
import { formatMiB } from "@/lib/shared/format";
import type { MetricRange } from "@/lib/shared/protocol";
import { DataTable } from "../ui/data-table";
import { hostViewHref } from "./host-tabs";

const STATE_CLASSES: Record<FleetHostState, string> = {
  reachable: "bg-emerald-50 text-emerald-700",
  unreachable: "bg-red-50 text-red-700",
  maintenance: "bg-amber-50 text-amber-700",
};

const COLUMNS = [
  "Host",
  "State",
  "Guests running",
  "Memory allocated",
  "Used by guests",
  "Host memory",
  "CPU",
  `Headroom (× ${DEFAULT_GUEST_MEMORY_MIB} MiB)`,
];

const dash = "—";

/** One row per host of the fleet; a host's name opens its charts and guests below. */
export function FleetHostTable({ rows, range }: { rows: FleetHostRow[]; range: MetricRange }) {
  return (
    <div aria-label="Hosts of the fleet" role="region">
      <DataTable columns={COLUMNS}>
        {rows.map((r) => (
          <tr key={r.hostId} data-host={r.hostId}>
            <td className="px-4 py-2 font-medium">
              <Link href={hostViewHref(r.hostId, range)} className="text-sky-700 hover:underline" scroll={false}>
                {r.name}
              </Link>
            </td>
            <td className="px-4 py-2">
              <span className={clsx("rounded px-1.5 py-0.5 text-xs font-medium", STATE_CLASSES[r.state])}>
                {r.state}
              </span>
            </td>
            <td className="px-4 py-2 text-right tabular-nums">
              {r.state === "unreachable" ? `unknown / ${r.guestsTotal}` : `${r.guestsRunning} / ${r.guestsTotal}`}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{formatMiB(r.allocatedMiB)}</td>
            <td className="px-4 py-2 text-right tabular-nums">
              {r.usedMiB === null ? dash : formatMiB(Math.round(r.usedMiB))}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{formatMiB(Math.round(r.capacityMiB))}</td>
            <td className="px-4 py-2 text-right tabular-nums">
              {r.cpuPct === null ? dash : `${(r.cpuPct / 100).toFixed(2)} of ${r.cpuCores} cores`}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">
              {r.headroom === null ? dash : r.state === "maintenance" ? `${r.headroom} (not placed)` : r.headroom}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
