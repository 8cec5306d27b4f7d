"use client";

import clsx from "clsx";
import dynamic from "next/dynamic";

const CONSOLE_HEIGHT = "h-[min(62vh,36rem)] min-h-72";

// xterm touches `window` at import: load it in the browser only.
const GuestConsole = dynamic(() => import("./guest-console").then((m) => m.GuestConsole), {
  ssr: false,
  loading: () => (
    <div
      className={clsx(
        "flex items-center justify-center rounded-lg bg-[#0b1120] text-xs text-slate-400",
        CONSOLE_HEIGHT,
      )}
    >
      Loading console…
    </div>
  ),
});

export function GuestConsoleLoader({ guestId, readOnly = false }: { guestId: string; readOnly?: boolean }) {
  return <GuestConsole guestId={guestId} readOnly={readOnly} className={CONSOLE_HEIGHT} />;
}
