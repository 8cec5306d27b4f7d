"use client";

import clsx from "clsx";
import { useSocketStatus } from "@/lib/client/use-socket-status";

/** Whether live updates are flowing from the host daemon. */
export function ConnectionIndicator() {
  const { state, reason } = useSocketStatus();
  const label = state === "connected" ? "Live" : state === "connecting" ? "Connecting…" : "Reconnecting…";
  return (
    <p className="flex items-center gap-2 text-xs text-slate-500" title={reason ?? undefined}>
      <span
        aria-hidden
        className={clsx(
          "size-2 rounded-full",
          state === "connected"
            ? "bg-emerald-500"
            : state === "connecting"
              ? "bg-amber-400"
              : "animate-pulse bg-rose-500",
        )}
      />
      <span>{label}</span>
      {state === "reconnecting" && reason && <span className="sr-only">: {reason}</span>}
    </p>
  );
}
