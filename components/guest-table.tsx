"use client";

import { Server } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { apiGet } from "@/lib/api-client";
import type { GuestView } from "@/lib/protocol";
import { appendRecent, type RecentSamples } from "@/lib/recent-samples";
import { useLiveGuests } from "@/lib/use-live-guests";
import { useMetricSamples } from "@/lib/use-metric-samples";
import { GuestRow } from "./guest-row";
import { DataTable } from "@/components/data-table";

const COLUMNS = ["Name", "State", "Image", "Memory", "Uptime", "Last 10 min", "Last boot"];

/**
 * Every guest with its live state and the last minutes of its CPU and memory. New and
 * deleted guests re-render the page.
 */
export function GuestTable({
  guests: rendered,
  recent: renderedRecent,
}: {
  guests: GuestView[];
  recent: RecentSamples;
}) {
  const router = useRouter();
  const [recent, setRecent] = useState(renderedRecent);
  useEffect(() => setRecent(renderedRecent), [renderedRecent]);
  const joins = useRef(0);
  useMetricSamples({
    onSample: (e) => setRecent((r) => appendRecent(r, e)),
    onWatching: () => {
      if (joins.current++ > 0) router.refresh();
    },
  });
  const guests = useLiveGuests(rendered, {
    resync: async () => {
      const r = await apiGet<GuestView[]>("/api/guests");
      return r.ok ? r.data : null;
    },
    onCreated: () => router.refresh(),
    onDeleted: () => router.refresh(),
  });

  if (guests.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
        <Server aria-hidden className="size-8 text-slate-300" />
        <p className="text-sm text-slate-600">
          No guests yet. Create one above — the built-in busybox image boots in about a second.
        </p>
      </div>
    );
  }

  return (
    <DataTable columns={COLUMNS} trailing="Actions" bodyClassName="divide-y divide-slate-100">
      {guests.map((g) => (
        <GuestRow
          key={g.id}
          guest={g}
          usage={recent.cpu[g.id] ? { cpu: recent.cpu[g.id], mem: recent.mem[g.id] } : undefined}
        />
      ))}
    </DataTable>
  );
}
