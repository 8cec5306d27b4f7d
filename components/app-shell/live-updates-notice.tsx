"use client";

import { WifiOff } from "lucide-react";
import { useSocketStatus } from "@/lib/client/use-socket-status";

/** Says so when live updates stop, so nobody trusts a state that may be stale. */
export function LiveUpdatesNotice() {
  const { state, reason } = useSocketStatus();
  if (state !== "reconnecting") return null;
  return (
    <p
      role="status"
      className="flex items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <WifiOff aria-hidden className="size-4 shrink-0" />
      <span>
        Live updates paused{reason ? `: ${reason}` : ""}. States shown may be out of date; Corral keeps trying to
        reconnect.
      </span>
    </p>
  );
}
