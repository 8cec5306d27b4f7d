"use client";

import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { apiGet, guestApiPath } from "@/lib/shared/api-client";
import { BootHealthBadge } from "../boots/boot-health-badge";
import { formatMiB } from "@/lib/shared/format";
import { can, type Actor } from "@/lib/shared/permissions";
import type { GuestView } from "@/lib/shared/protocol";
import { useLiveGuests } from "@/lib/client/use-live-guests";
import { LabelledValue } from "../ui/labelled-value";
import { GuestActions } from "./guest-actions";
import { MemoryEditButton } from "./memory-edit-button";
import { RelativeTime } from "../ui/relative-time";
import { StateBadge } from "./state-badge";
import { Uptime } from "./uptime";

/**
 * The guest page's header, live. A state change also re-renders the server parts of the
 * page (boot history), which read the database the daemon has just written.
 */
export function GuestOverview({ guest: renderedGuest, actor }: { guest: GuestView; actor: Actor }) {
  const router = useRouter();
  const rendered = useMemo(() => [renderedGuest], [renderedGuest]);
  const [guest = renderedGuest] = useLiveGuests(rendered, {
    resync: async () => {
      router.refresh();
      const r = await apiGet<GuestView>(guestApiPath(renderedGuest.id));
      return r.ok ? [r.data] : null;
    },
    onState: (e) => {
      if (e.id !== renderedGuest.id) return;
      router.refresh();
      // "booting" is announced before the daemon records the new boot: read again shortly
      // so the history shows the boot in progress without waiting for it to become ready.
      if (e.state === "booting" && (!e.lastBoot || e.lastBoot.endedAt)) setTimeout(() => router.refresh(), 1000);
    },
    onDeleted: (e) => {
      if (e.id === renderedGuest.id) router.refresh();
    },
  });

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="truncate text-2xl font-semibold tracking-tight text-slate-900">{guest.name}</h1>
            <StateBadge state={guest.state} testId="guest-state" />
            {guest.lastBoot && (
              <BootHealthBadge
                health={guest.lastBoot.health}
                href={`/guests/${encodeURIComponent(guest.id)}/boots/${guest.lastBoot.number}`}
              />
            )}
          </div>
          {guest.stateReason && (
            <p className={guest.state === "crashed" ? "mt-1 text-sm text-rose-700" : "mt-1 text-sm text-slate-500"}>
              {guest.stateReason}
            </p>
          )}
        </div>
        <GuestActions guest={guest} actor={actor} afterDelete="/" />
      </div>
      <dl className="grid grid-cols-2 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm sm:grid-cols-3 lg:grid-cols-6">
        <LabelledValue label="Kind">
          {guest.kind === "context" ? "Context (shared kernel, LXC)" : "UML (own kernel)"}
        </LabelledValue>
        <LabelledValue label="Image">{guest.imageName}</LabelledValue>
        <LabelledValue label="Host">
          <span data-testid="guest-host">{guest.hostName ?? <span className="text-slate-400">none</span>}</span>
        </LabelledValue>
        <LabelledValue label="Owner">{guest.ownerName ?? <span className="text-slate-400">nobody</span>}</LabelledValue>
        <LabelledValue label="Memory">
          <span className="inline-flex items-center gap-1">
            {formatMiB(guest.memoryMiB)}
            {can(actor, "guest.edit", guest) && <MemoryEditButton guest={guest} />}
          </span>
        </LabelledValue>
        <LabelledValue label="Kernel arguments">
          {guest.kernelArgs.length ? (
            <span className="flex flex-wrap gap-1">
              {guest.kernelArgs.map((a) => (
                <code key={a} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                  {a}
                </code>
              ))}
            </span>
          ) : (
            <span className="text-slate-400">none</span>
          )}
        </LabelledValue>
        <LabelledValue label="Uptime">
          <Uptime state={guest.state} lastBoot={guest.lastBoot} />
        </LabelledValue>
        <LabelledValue label="Created">
          <RelativeTime iso={guest.createdAt} />
        </LabelledValue>
      </dl>
    </div>
  );
}
