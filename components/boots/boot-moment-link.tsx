"use client";

import clsx from "clsx";
import { replayMomentHash, seekReplay } from "@/lib/client/replay-seek";

/** A moment of the boot (seconds from its start): following it shows the replay at that moment. */
export function BootMomentLink({
  at,
  className,
  children,
}: {
  at: number;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <a
      href={replayMomentHash(at)}
      onClick={(e) => {
        e.preventDefault();
        seekReplay(at);
      }}
      className={clsx("text-sky-700 hover:text-sky-900 hover:underline", className)}
    >
      {children}
    </a>
  );
}
