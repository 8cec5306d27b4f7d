import clsx from "clsx";
import type { Metadata } from "next";
import Link from "next/link";
import { EvacuateButton } from "@/components/hosts/evacuate-button";
import { MaintenanceButton } from "@/components/hosts/maintenance-button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireAllowed } from "@/lib/server/current-user";
import { listHosts } from "@/lib/server/reads/hosts";
import { db } from "@/lib/server/web-db";
import { formatMiB, plural } from "@/lib/shared/format";
import { can } from "@/lib/shared/permissions";
import { guestListSearch } from "@/lib/shared/protocol";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hosts" };

const COLUMNS = [
  "Name",
  "Status",
  "Address",
  "Cores",
  "Memory",
  "Free for guests",
  "Free disk",
  "Kernel",
  "Version",
  "Last heartbeat",
];

/** The fleet's hosts as their daemons registered them; one silent for three heartbeats is unreachable. */
export default async function HostsPage() {
  const user = await requireAllowed("host.read");
  const hosts = await listHosts(db, { viewer: user });
  const manages = can(user, "hosts.manage");
  const resting = hosts.filter((h) => h.maintenance);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Hosts"
        description="The machines whose daemons run guests. A host not heard from for three heartbeats is unreachable: its guests show as unknown until it is back. New guests go to the host with the most memory free for guests; a host in maintenance gets none, and evacuating it moves its stopped guests to other hosts."
      />
      <Card title="All hosts" aside={plural(hosts.length, "host")}>
        <DataTable columns={manages ? [...COLUMNS, ""] : COLUMNS}>
          {hosts.map((h) => (
            <tr key={h.id} data-host={h.name}>
              <td className="px-4 py-2.5 font-medium">
                <Link href={`/${guestListSearch({ host: h.name })}`} className="text-sky-700 hover:underline">
                  {h.name}
                </Link>
              </td>
              <td className="px-4 py-2.5">
                <span
                  data-testid="host-status"
                  className={clsx(
                    "rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
                    h.status === "up"
                      ? "bg-emerald-50 text-emerald-800 ring-emerald-300"
                      : "bg-rose-50 text-rose-800 ring-rose-300",
                  )}
                >
                  {h.status}
                </span>
                {h.maintenance && (
                  <span
                    data-testid="host-maintenance"
                    className="ml-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-300 ring-inset"
                  >
                    maintenance
                  </span>
                )}
              </td>
              <td className="px-4 py-2.5 font-mono text-xs">{h.address}</td>
              <td className="px-4 py-2.5 tabular-nums">{h.cores}</td>
              <td className="px-4 py-2.5 tabular-nums">{formatMiB(h.memoryMiB)}</td>
              <td className="px-4 py-2.5 tabular-nums" title={`${formatMiB(h.guestMemoryMiB)} offered to guests`}>
                {formatMiB(h.guestMemoryFreeMiB)}
              </td>
              <td className="px-4 py-2.5 tabular-nums">{formatMiB(h.diskFreeMiB)}</td>
              <td className="px-4 py-2.5 text-xs">{h.kernel}</td>
              <td className="px-4 py-2.5 text-xs">{h.version}</td>
              <td className="px-4 py-2.5 whitespace-nowrap">
                <RelativeTime iso={h.lastSeenAt} />
              </td>
              {manages && (
                <td className="px-4 py-2.5 text-right">
                  <MaintenanceButton id={h.id} name={h.name} maintenance={h.maintenance} />
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      </Card>
      {resting.map((h) => (
        <Card key={h.id} title={`Still running on ${h.name}`} aside={plural(h.stillRunning.length, "guest")}>
          {manages && hosts.length > 1 && (
            <div className="border-b border-slate-100 px-4 py-3">
              <EvacuateButton id={h.id} name={h.name} />
            </div>
          )}
          {h.stillRunning.length === 0 ? (
            <p className="px-4 py-3 text-sm text-slate-600">
              Nothing you can see runs on {h.name} any more: it is ready for its maintenance.
            </p>
          ) : (
            <ul className="px-4 py-3 text-sm" data-testid="still-running">
              {h.stillRunning.map((g) => (
                <li key={g.id}>
                  <Link href={`/guests/${encodeURIComponent(g.id)}`} className="text-sky-700 hover:underline">
                    {g.name}
                  </Link>{" "}
                  <span className="text-xs text-slate-500">{g.state}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ))}
    </div>
  );
}
