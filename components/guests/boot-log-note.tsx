import { Info } from "lucide-react";
import type { BootView } from "@/lib/shared/protocol";
import { RelativeTime } from "../ui/relative-time";

/** Why a boot's log is shorter than the boot, or gone: its size limit, or pruning. */
export function BootLogNote({ boot }: { boot: BootView }) {
  if (!boot.logPrunedAt && !boot.logTruncated) return null;
  return (
    <p
      role="note"
      data-testid="boot-log-note"
      className="flex items-start gap-2 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
      {boot.logPrunedAt ? (
        <span>
          This boot&apos;s log was removed <RelativeTime iso={boot.logPrunedAt} /> to keep the guest&apos;s logs within
          their bound (<code>CORRAL_GUEST_LOGS_MAX_MIB</code>); the oldest boots&apos; logs go first. Its record is
          kept.
        </span>
      ) : (
        <span>
          The log stops where it reached its size limit (<code>CORRAL_BOOT_LOG_MAX_MIB</code>), marked &ldquo;log
          truncated here&rdquo;. The guest kept running and its console went on; only the recording stopped.
        </span>
      )}
    </p>
  );
}
