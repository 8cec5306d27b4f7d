import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BootHistory } from "@/components/guests/boot-history";
import { Card } from "@/components/ui/card";
import { ConsoleTerminalLoader } from "@/components/console/console-terminal-loader";
import { GuestDisk } from "@/components/guests/guest-disk";
import { GuestMigration } from "@/components/guests/guest-migration";
import { GuestMoving } from "@/components/guests/guest-moving";
import { GuestMetrics } from "@/components/metrics/guest-metrics";
import { GuestOverview } from "@/components/guests/guest-overview";
import { LiveUpdatesNotice } from "@/components/app-shell/live-updates-notice";
import { RangeTabs } from "@/components/metrics/range-tabs";
import { requireUser } from "@/lib/server/current-user";
import { plural } from "@/lib/shared/format";
import { readGuestHistory } from "@/lib/server/metric-queries";
import { can } from "@/lib/shared/permissions";
import { metricRangeSchema } from "@/lib/shared/protocol";
import { GuestNetworkCard } from "@/components/guests/guest-network";
import { listBoots, listSnapshots } from "@/lib/server/reads/boots";
import { listHosts } from "@/lib/server/reads/hosts";
import { hostChoices } from "@/lib/shared/host-choices";
import { findGuest } from "@/lib/server/reads/guests";
import { db, guestReader } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ range?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const guest = await findGuest(guestReader(), await requireUser(), (await params).id);
  return { title: guest?.name ?? "Guest not found" };
}

export default async function GuestPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const guest = await findGuest(guestReader(), user, (await params).id);
  if (!guest) notFound();
  const parsed = metricRangeSchema.safeParse((await searchParams).range);
  const range = parsed.success ? parsed.data : "hour";
  const [boots, snapshots, history, hosts] = await Promise.all([
    listBoots(db, guest.id),
    listSnapshots(db, guest.id),
    readGuestHistory(guest.id, range),
    can(user, "guest.migrate", guest) ? listHosts(db, { viewer: user }) : [],
  ]);
  const actor = { id: user.id, role: user.role };
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm text-slate-500">
        <Link href="/" className="hover:text-slate-900 hover:underline">
          Guests
        </Link>{" "}
        / <span className="text-slate-700">{guest.name}</span>
      </nav>
      <LiveUpdatesNotice />
      <GuestOverview guest={guest} actor={actor} />
      <GuestMoving guestId={guest.id} />
      <section aria-label="Console" className="flex flex-col gap-2">
        <h2 className="text-sm font-semibold text-slate-800">Console</h2>
        <ConsoleTerminalLoader guestId={guest.id} readOnly={!can(user, "console.type", guest)} />
      </section>
      <Card title="Resource use" aside={<RangeTabs base={`/guests/${encodeURIComponent(guest.id)}`} current={range} />}>
        <GuestMetrics
          guestId={guest.id}
          memoryMiB={guest.memoryMiB}
          range={range}
          history={history}
          hasOwnKernel={guest.kind === "uml"}
        />
      </Card>
      <GuestNetworkCard guest={guest} editable={can(user, "guest.edit", guest)} />
      <GuestDisk guest={guest} snapshots={snapshots} editable={can(user, "guest.disk", guest)} />
      {hosts.length > 1 && (
        <Card title="Host" aside={guest.hostName ?? undefined} bodyClassName="p-4">
          <GuestMigration guest={guest} hosts={hostChoices(hosts, guest.kind)} />
        </Card>
      )}
      <Card title="Boot history" aside={plural(boots.length, "boot")}>
        <BootHistory guestId={guest.id} boots={boots} />
      </Card>
    </div>
  );
}
