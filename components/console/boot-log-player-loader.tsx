"use client";

import dynamic from "next/dynamic";

// xterm touches `window` at import: load it in the browser only.
const BootLogPlayer = dynamic(() => import("./boot-log-player").then((m) => m.BootLogPlayer), {
  ssr: false,
  loading: () => (
    <div className="flex h-96 items-center justify-center rounded-lg bg-[#0b1120] text-xs text-slate-400">
      Loading log…
    </div>
  ),
});

export function BootLogPlayerLoader({ guestId, bootNumber }: { guestId: string; bootNumber: number }) {
  return <BootLogPlayer guestId={guestId} bootNumber={bootNumber} />;
}
