import type { Headline } from "@/lib/shared/consolidation";
import { formatMiB } from "@/lib/shared/format";

export function Figure({
  id,
  label,
  value,
  note,
}: {
  id: string;
  label: string;
  value: React.ReactNode;
  note?: string;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd
        data-testid={`figure-${id}`}
        className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums"
      >
        {value}
      </dd>
      {note && <dd className="mt-0.5 text-xs text-slate-500">{note}</dd>}
    </div>
  );
}

const cores = (n: number) => n.toFixed(n < 10 ? 2 : 1);

/** The consolidation report's headline: what a manager reads first. */
export function HeadlineFigures({ headline: h, sampled }: { headline: Headline; sampled: boolean }) {
  const dash = "—";
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      <Figure
        id="guests-defined"
        label="Guests defined"
        value={h.guestsDefined}
        note={`${formatMiB(h.allocatedDefinedMiB)} allocated in all`}
      />
      <Figure
        id="guests-running"
        label="Servers consolidated"
        value={h.guestsRunning}
        note="guests running on this host"
      />
      <Figure
        id="memory-allocated"
        label="Memory allocated"
        value={sampled && h.hostMemMiB ? formatMiB(h.allocatedMiB) : dash}
        note={
          h.overcommit !== null && h.hostMemMiB
            ? `of ${formatMiB(h.hostMemMiB)} · ${h.overcommit.toFixed(2)}× overcommit`
            : undefined
        }
      />
      <Figure
        id="memory-used"
        label="Memory guests use"
        value={sampled ? formatMiB(h.hostUsedMiB) : dash}
        note={sampled ? `on the host; ${formatMiB(h.guestUsedMiB)} by their own count` : undefined}
      />
      <Figure
        id="cpu-used"
        label="CPU guests use"
        value={sampled && h.cpuCores ? `${cores(h.guestCpuCores)} of ${h.cpuCores} cores` : dash}
        note={h.hostCpuCores !== null ? `host busy: ${cores(h.hostCpuCores)} cores` : undefined}
      />
      <Figure
        id="headroom"
        label="Headroom"
        value={h.headroom !== null && h.typicalGuestMiB ? `${h.headroom} × ${formatMiB(h.typicalGuestMiB)}` : dash}
        note={
          h.headroomAtTypicalUse !== null && h.typicalUsedMiB
            ? `more guests if each used all its memory; ~${h.headroomAtTypicalUse} at today's typical ${formatMiB(Math.round(h.typicalUsedMiB))}`
            : "more guests of the typical size"
        }
      />
    </dl>
  );
}
