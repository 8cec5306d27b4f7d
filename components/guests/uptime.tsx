"use client";

import { formatUptime } from "@/lib/shared/format";
import { guestUpSince } from "@/lib/shared/guest-uptime";
import type { BootView, GuestViewState } from "@/lib/shared/protocol";
import { useNow } from "@/lib/client/use-now";

/** A ticking uptime, or "—" when the guest is not up. */
export function Uptime({ state, lastBoot }: { state: GuestViewState; lastBoot: BootView | null }) {
  const now = useNow();
  const since = guestUpSince(state, lastBoot);
  if (!since) return <span className="text-slate-400">—</span>;
  const label = lastBoot?.readyAt ? "Up since" : "Booting since";
  return (
    <span className="tabular-nums" title={now === null ? undefined : `${label} ${new Date(since).toLocaleString()}`}>
      {now === null ? "…" : formatUptime(Math.max(0, now - Date.parse(since)))}
    </span>
  );
}
