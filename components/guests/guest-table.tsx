"use client";

import { Server } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { apiGet } from "@/lib/shared/api-client";
import { can, type Actor } from "@/lib/shared/permissions";
import {
  filterOf,
  guestListSearch,
  type GuestListQuery,
  type GuestPage,
  type GuestSort,
  type GuestView,
} from "@/lib/shared/protocol";
import { appendRecent, type RecentSamples } from "@/lib/shared/recent-samples";
import { useLiveGuests } from "@/lib/client/use-live-guests";
import { useMetricSamples } from "@/lib/client/use-metric-samples";
import { useRenderedState } from "@/lib/client/use-rendered-state";
import { BulkActions } from "./bulk-actions";
import { GuestListPager, SortHeader } from "./guest-list-pager";
import { GuestRow } from "./guest-row";
import { DataTable, type TableColumn } from "@/components/ui/data-table";

const COLUMNS: Array<{ label: string; sort?: GuestSort; ownerOnly?: boolean }> = [
  { label: "Name", sort: "name" },
  { label: "Owner", sort: "owner", ownerOnly: true },
  { label: "State", sort: "state" },
  { label: "Host", sort: "host" },
  { label: "Image", sort: "image" },
  { label: "Memory", sort: "memory" },
  { label: "Uptime" },
  { label: "Last 10 min" },
  { label: "Last boot" },
];

/**
 * One page of guests with their live state and, for the rows on screen only, the last
 * minutes of CPU and memory. Admins and managers see everyone's guests, with their owners;
 * developers only their own. New and deleted guests re-render the page.
 */
export function GuestTable({
  page,
  query,
  recent: renderedRecent,
  actor,
}: {
  page: GuestPage;
  query: GuestListQuery;
  recent: RecentSamples;
  actor: Actor;
}) {
  const router = useRouter();
  const onScreen = useMemo(() => new Set(page.guests.map((g) => g.id)), [page.guests]);
  const [recent, setRecent] = useRenderedState(renderedRecent, (r) => r);
  const lastTick = renderedRecent.ticks.at(-1);
  useMetricSamples({
    renderedAt: lastTick === undefined ? null : new Date(lastTick).toISOString(),
    // Every tick names every guest: the page keeps only its own rows' figures.
    onSample: (e) =>
      setRecent((r) => appendRecent(r, { ...e, guests: e.guests.filter((g) => onScreen.has(g.guestId)) })),
    onMissed: () => router.refresh(),
  });
  const guests = useLiveGuests(page.guests, {
    resync: async () => {
      const r = await apiGet<GuestView[]>(`/api/guests${guestListSearch(query, { per: page.per, page: page.page })}`);
      // The daemon already limits the list; this keeps the table to what the page showed.
      return r.ok ? r.data.filter((g) => can(actor, "guest.read", g)) : null;
    },
    onCreated: () => router.refresh(),
    onDeleted: () => router.refresh(),
  });

  // Selection: guests on this page, or every guest the filter matches (on any page).
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const picked = guests.filter((g) => selected.has(g.id));
  const pageAllPicked = guests.length > 0 && picked.length === guests.length;
  const toggle = (id: string, on: boolean) => {
    setAllMatching(false);
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const togglePage = (on: boolean) => {
    setAllMatching(false);
    setSelected(on ? new Set(guests.map((g) => g.id)) : new Set());
  };

  const bulk = can(actor, "guests.bulk");
  const showOwner = actor.role !== "developer";
  const anyActions = guests.some((g) => can(actor, "guest.control", g) || can(actor, "guest.delete", g));
  const filtered = Object.values(filterOf(query)).some((v) => v !== undefined);

  if (page.total === 0 && !filtered) {
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

  const sortOf = (sort: GuestSort): "none" | "ascending" | "descending" =>
    (query.sort ?? "name") !== sort ? "none" : (query.dir ?? "asc") === "asc" ? "ascending" : "descending";
  const columns: TableColumn[] = [
    ...(bulk
      ? [
          {
            key: "select",
            className: "w-8 px-4 py-2",
            header: (
              <input
                type="checkbox"
                aria-label="Select every guest on this page"
                checked={pageAllPicked}
                onChange={(e) => togglePage(e.target.checked)}
                className="size-4 align-middle"
              />
            ),
          },
        ]
      : []),
    ...COLUMNS.filter((c) => showOwner || !c.ownerOnly).map((c) =>
      c.sort
        ? { key: c.label, sort: sortOf(c.sort), header: <SortHeader query={query} sort={c.sort} label={c.label} /> }
        : c.label,
    ),
  ];

  return (
    <div>
      {bulk && (
        <>
          <BulkActions
            count={allMatching ? page.total : picked.length}
            target={() => (allMatching ? { filter: filterOf(query) } : { ids: picked.map((g) => g.id) })}
            onDone={(r) => {
              if (r.action === "delete" && r.succeeded > 0) {
                setSelected(new Set());
                setAllMatching(false);
                router.refresh();
              }
            }}
          />
          {pageAllPicked && page.total > guests.length && (
            <p className="bg-sky-50 px-4 pb-2 text-xs text-slate-700">
              {allMatching ? (
                <>
                  All {page.total} guests that this filter shows are selected.{" "}
                  <button
                    type="button"
                    className="font-medium text-sky-700 underline"
                    onClick={() => togglePage(false)}
                  >
                    Clear the selection
                  </button>
                </>
              ) : (
                <>
                  All {guests.length} guests on this page are selected.{" "}
                  <button
                    type="button"
                    className="font-medium text-sky-700 underline"
                    onClick={() => setAllMatching(true)}
                  >
                    Select all {page.total} guests that this filter shows
                  </button>
                </>
              )}
            </p>
          )}
        </>
      )}
      <DataTable
        columns={columns}
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
            selection={
              bulk ? { checked: allMatching || selected.has(g.id), onChange: (on) => toggle(g.id, on) } : undefined
            }
            usage={recent.cpu[g.id] ? { cpu: recent.cpu[g.id], mem: recent.mem[g.id] } : undefined}
          />
        ))}
      </DataTable>
      <GuestListPager query={query} total={page.total} page={page.page} per={page.per} />
    </div>
  );
}
