"use client";

import { Server } from "lucide-react";
import { useRouter } from "next/navigation";
import { apiGet } from "@/lib/api-client";
import type { GuestView } from "@/lib/protocol";
import { useLiveGuests } from "@/lib/use-live-guests";
import { GuestRow } from "./guest-row";
import { DataTable } from "@/components/data-table";

const COLUMNS = ["Name", "State", "Image", "Memory", "Uptime", "Last boot"];

/** Every guest with its live state. New and deleted guests re-render the page. */
export function GuestTable({ guests: rendered }: { guests: GuestView[] }) {
  const router = useRouter();
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
        <GuestRow key={g.id} guest={g} />
      ))}
    </DataTable>
  );
}
