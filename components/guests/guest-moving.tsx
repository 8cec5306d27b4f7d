"use client";

import { useState } from "react";
import { useRoom } from "@/lib/client/use-room";
import type { GuestMigrationEvent } from "@/lib/shared/protocol";
import { MigrationProgress } from "./migration-progress";

/** The guest's move to another host, live, for whoever sees the guest; nothing while it stays put. */
export function GuestMoving({ guestId }: { guestId: string }) {
  const [progress, setProgress] = useState<GuestMigrationEvent | null>(null);
  useRoom({
    join: "guests:watch",
    on: {
      "guest:migration": (e) => {
        if (e.id === guestId) setProgress(e);
      },
    },
  });
  if (!progress) return null;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <MigrationProgress event={progress} />
      {progress.error && <p className="mt-2 text-sm text-rose-700">{progress.error}</p>}
    </div>
  );
}
