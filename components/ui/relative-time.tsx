"use client";

import { formatRelativeTime, formatUtcTimestamp } from "@/lib/shared/format";
import { useNow } from "@/lib/client/use-now";

/**
 * "5 min ago", kept current. Until the clock starts on the client it shows the UTC time,
 * so the server's HTML and the first client render agree.
 */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const now = useNow();
  const absolute = formatUtcTimestamp(iso);
  return (
    <time dateTime={iso} title={now === null ? absolute : new Date(iso).toLocaleString()} className={className}>
      {now === null ? absolute : formatRelativeTime(iso, now)}
    </time>
  );
}
