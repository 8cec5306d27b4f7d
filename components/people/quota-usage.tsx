import clsx from "clsx";
import { formatMiB } from "@/lib/shared/format";
import type { QuotaView, UsageView } from "@/lib/shared/protocol";
import { UsageBar } from "../ui/usage-bar";

const count = (n: number) => String(n);

/** A developer's guests, memory and disk against their quota. */
export function QuotaUsage({
  quota,
  usage,
  compact = false,
}: {
  quota: QuotaView;
  usage: UsageView;
  compact?: boolean;
}) {
  return (
    <div className={clsx("grid", compact ? "min-w-44 gap-1.5" : "gap-4 sm:grid-cols-3")}>
      <UsageBar label="Guests" used={usage.guests} max={quota.maxGuests} format={count} compact={compact} />
      <UsageBar label="Memory" used={usage.memoryMiB} max={quota.maxMemoryMiB} format={formatMiB} compact={compact} />
      <UsageBar label="Disk" used={usage.diskMiB} max={quota.maxDiskMiB} format={formatMiB} compact={compact} />
    </div>
  );
}
