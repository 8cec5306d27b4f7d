"use client";

import { Server } from "lucide-react";
import { useRouter } from "next/navigation";
import { apiGet } from "@/lib/shared/api-client";
import { can, type Actor } from "@/lib/shared/permissions";
import type { GuestView } from "@/lib/shared/protocol";
import { appendRecent, type RecentSamples } from "@/lib/shared/recent-samples";
import { useLiveGuests } from "@/lib/client/use-live-guests";
import { useMetricSamples } from "@/lib/client/use-metric-samples";
import { useRenderedState } from "@/lib/client/use-rendered-state";
import { GuestRow } from "./guest-row";
import { DataTable } from "@/components/ui/data-table";

const COLUMNS = ["Name", "State", "Image", "Memory", "Uptime", "Last 10 min", "Last boot"];
const WITH_OWNER = ["Name", "Owner", "State", "Image", "Memory", "Uptime", "Last 10 min", "Last boot"];

/**
 * Every guest with its live state and the last minutes of its CPU and memory. New and
 * deleted guests re-render the page. Admins and managers see everyone's guests, with their
 * owners; developers only their own.
 */
export function GuestTable({
  guests: rendered,
  recent: renderedRecent,
  actor,
}: {
  guests: GuestView[];
  recent: RecentSamples;
  actor: Actor;
}) {
  const router = useRouter();
  const [recent, setRecent] = useRenderedState(renderedRecent, (r) => r);
  const lastTick = renderedRecent.ticks.at(-1);
  useMetricSamples({
    renderedAt: lastTick === undefined ? null : new Date(lastTick).toISOString(),
    onSample: (e) => setRecent((r) => appendRecent(r, e)),
    onMissed: () => router.refresh(),
  });
  const guests = useLiveGuests(rendered, {
    resync: async () => {
      const r = await apiGet<GuestView[]>("/api/guests");
      // The daemon already limits the list; this keeps the table to what the page showed.
      return r.ok ? r.data.filter((g) => can(actor, "guest.read", g)) : null;
    },
    onCreated: () => router.refresh(),
    onDeleted: () => router.refresh(),
  });

  const showOwner = actor.role !== "developer";
  const anyActions = guests.some((g) => can(actor, "guest.control", g) || can(actor, "guest.delete", g));

  if (guests.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
        <Server aria-hidden className="size-8 text-slate-300" />
        <p className="text-sm text-slate-600">
          No guests yet.
          {can(actor, "guest.create") && " Create one above — the built-in busybox image boots in about a second."}
        </p>
      </div>
    );
  }

  return (
    <DataTable
      columns={showOwner ? WITH_OWNER : COLUMNS}
      trailing={anyActions ? "Actions" : undefined}
      bodyClassName="divide-y divide-slate-100"
    >
      {guests.map((g) => (
        <GuestRow
          key={g.id}
          guest={g}
          actor={actor}
          showOwner={showOwner}
          showActions={anyActions}
          usage={recent.cpu[g.id] ? { cpu: recent.cpu[g.id], mem: recent.mem[g.id] } : undefined}
        />
      ))}
    </DataTable>
  );
}
