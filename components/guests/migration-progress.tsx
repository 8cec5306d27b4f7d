"use client";

import { formatBytes } from "@/lib/shared/format";
import type { GuestMigrationEvent } from "@/lib/shared/protocol";
import { LabelledBar } from "../ui/usage-bar";

/** A guest's move to another host as it goes: bytes sent of its files' size, then done or why it failed. */
export function MigrationProgress({ event }: { event: GuestMigrationEvent }) {
  const text =
    event.phase === "failed"
      ? "failed"
      : event.phase === "done"
        ? "moved"
        : `${formatBytes(event.bytesDone)} of ${formatBytes(event.bytesTotal)}`;
  return (
    <LabelledBar
      role="progressbar"
      label={`Moving to ${event.toHostName}`}
      value={Math.min(event.bytesDone, event.bytesTotal)}
      max={event.bytesTotal}
      text={text}
      fraction={event.bytesTotal > 0 ? event.bytesDone / event.bytesTotal : 1}
      tone={event.phase === "failed" ? "rose" : "sky"}
    />
  );
}
