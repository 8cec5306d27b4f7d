import clsx from "clsx";
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireAllowed } from "@/lib/server/current-user";
import { listHosts } from "@/lib/server/reads/hosts";
import { db } from "@/lib/server/web-db";
import { formatMiB, plural } from "@/lib/shared/format";
import { guestListSearch } from "@/lib/shared/protocol";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hosts" };

const COLUMNS = ["Name", "Status", "Address", "Cores", "Memory", "Free disk", "Kernel", "Version", "Last heartbeat"];

/** The fleet's hosts as their daemons registered them; one silent for three heartbeats is unreachable. */
export default async function HostsPage() {
  await requireAllowed("host.read");
  const hosts = await listHosts(db);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Hosts"
        description="The machines whose daemons run guests. A host not heard from for three heartbeats is unreachable: its guests show as unknown until it is back."
      />
      <Card title="All hosts" aside={plural(hosts.length, "host")}>
        <DataTable columns={COLUMNS}>
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
              </td>
              <td className="px-4 py-2.5 font-mono text-xs">{h.address}</td>
              <td className="px-4 py-2.5 tabular-nums">{h.cores}</td>
              <td className="px-4 py-2.5 tabular-nums">{formatMiB(h.memoryMiB)}</td>
              <td className="px-4 py-2.5 tabular-nums">{formatMiB(h.diskFreeMiB)}</td>
              <td className="px-4 py-2.5 text-xs">{h.kernel}</td>
              <td className="px-4 py-2.5 text-xs">{h.version}</td>
              <td className="px-4 py-2.5 whitespace-nowrap">
                <RelativeTime iso={h.lastSeenAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      </Card>
    </div>
  );
}
