import { formatMiB } from "@/lib/shared/format";
import { Sparkline } from "./sparkline";

export interface GuestUsage {
  cpu: (number | null)[];
  mem: (number | null)[];
}

function last(xs: (number | null)[]): number | null {
  for (let i = xs.length - 1; i >= 0; i--) if (xs[i] !== null) return xs[i];
  return null;
}

/** A guest row's last ten minutes: CPU over host memory, as sparklines with the latest figures. */
export function GuestUsageCell({ usage, memoryMiB }: { usage: GuestUsage | undefined; memoryMiB: number }) {
  const cpu = usage ? last(usage.cpu) : null;
  const mem = usage ? last(usage.mem) : null;
  if (!usage || cpu === null || mem === null) {
    return (
      <td className="px-4 py-2.5">
        <span className="text-xs text-slate-400">—</span>
      </td>
    );
  }
  return (
    <td className="px-4 py-1.5 whitespace-nowrap text-slate-600">
      <div className="grid grid-cols-[auto_auto] items-center gap-x-2 text-xs tabular-nums" data-testid="guest-usage">
        <Sparkline values={usage.cpu} max={100} label="CPU over the last 10 minutes, % of one core" />
        <span title="CPU, % of one host core">{cpu.toFixed(1)} %</span>
        <Sparkline
          values={usage.mem}
          max={memoryMiB}
          color="#7c3aed"
          label={`Host memory used over the last 10 minutes, of ${formatMiB(memoryMiB)}`}
        />
        <span title="Host memory used">{formatMiB(Math.round(mem))}</span>
      </div>
    </td>
  );
}
