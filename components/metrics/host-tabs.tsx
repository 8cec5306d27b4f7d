import clsx from "clsx";
import Link from "next/link";
import type { FleetHostRow } from "@/lib/shared/fleet-consolidation";
import type { MetricRange } from "@/lib/shared/protocol";

/** The URL of the consolidation page showing host `hostId` over `range`. */
export function hostViewHref(hostId: string, range: MetricRange): string {
  const q = new URLSearchParams({ host: hostId });
  if (range !== "hour") q.set("range", range);
  return `/consolidation?${q}`;
}

/** Chooses which host's charts and guests the page shows, through the URL (`?host=`). */
export function HostTabs({ hosts, current, range }: { hosts: FleetHostRow[]; current: string; range: MetricRange }) {
  return (
    <nav
      aria-label="Host"
      className="inline-flex flex-wrap rounded-md border border-slate-300 bg-white p-0.5 shadow-sm"
    >
      {hosts.map((h) => (
        <Link
          key={h.hostId}
          href={hostViewHref(h.hostId, range)}
          aria-current={h.hostId === current ? "page" : undefined}
          scroll={false}
          className={clsx(
            "rounded px-3 py-1 text-xs font-medium",
            h.hostId === current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
          )}
        >
          {h.name}
        </Link>
      ))}
    </nav>
  );
}
