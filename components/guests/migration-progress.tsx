"use client";

import { formatBytes } from "@/lib/shared/format";
import type { GuestMigrationEvent } from "@/lib/shared/protocol";

/** A guest's move to another host as it goes: bytes sent of its files' size, then done or why it failed. */
export function MigrationProgress({ event }: { event: GuestMigrationEvent }) {
  const fraction = event.bytesTotal > 0 ? Math.min(event.bytesDone / event.bytesTotal, 1) : 1;
  const label = `Moving to ${event.toHostName}`;
  const text =
    event.phase === "failed"
      ? "failed"
      : event.phase === "done"
        ? "moved"
        : `${formatBytes(event.bytesDone)} of ${formatBytes(event.bytesTotal)}`;
  return (
    <div className="flex flex-col gap-1" data-testid="migration-progress">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="text-slate-600">{label}</span>
        <span className="text-slate-800 tabular-nums">{text}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={event.bytesTotal}
        aria-valuenow={Math.min(event.bytesDone, event.bytesTotal)}
        aria-valuetext={text}
        className="h-2 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={event.phase === "failed" ? "h-full rounded-full bg-rose-500" : "h-full rounded-full bg-sky-500"}
          style={{ width: `${Math.round(fraction * 100)}%` }}
        />
      </div>
    </div>
  );
}
