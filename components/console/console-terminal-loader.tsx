"use client";

import clsx from "clsx";
import dynamic from "next/dynamic";

const CONSOLE_HEIGHT = "h-[min(62vh,36rem)] min-h-72";

// xterm touches `window` at import: load it in the browser only.
const ConsoleTerminal = dynamic(() => import("./console-terminal").then((m) => m.ConsoleTerminal), {
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

export function ConsoleTerminalLoader({ guestId, readOnly = false }: { guestId: string; readOnly?: boolean }) {
  return <ConsoleTerminal guestId={guestId} readOnly={readOnly} className={CONSOLE_HEIGHT} />;
}
