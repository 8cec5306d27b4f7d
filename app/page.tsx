import { Card } from "@/components/card";
import { CreateGuestForm } from "@/components/create-guest-form";
import { GuestTable } from "@/components/guest-table";
import { LiveUpdatesNotice } from "@/components/live-updates-notice";
import { PageHeader } from "@/components/page-header";
import { CPU_WINDOW_MS } from "@/lib/consolidation";
import { plural } from "@/lib/format";
import { findTick, readTickDetail } from "@/lib/metric-queries";
import { guestViewInclude, toGuestView } from "@/lib/views";
import { db } from "@/lib/web-db";

export const dynamic = "force-dynamic";

export default async function GuestsPage() {
  const [rows, images, tick] = await Promise.all([
    db.guest.findMany({ orderBy: { name: "asc" }, include: guestViewInclude }),
    db.image.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, builtIn: true } }),
    findTick(),
  ]);
  // Sparklines of a daemon that stopped sampling long ago would pass for current ones.
  const fresh = tick && Date.now() - Date.parse(tick.at) < CPU_WINDOW_MS ? tick : null;
  const { recent } = await readTickDetail(fresh);
  const guests = rows.map(toGuestView);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Guests"
        description={`${plural(guests.length, "guest")} on this host. Each is a User-Mode Linux kernel running as an ordinary process.`}
      />
      <LiveUpdatesNotice />
      <Card title="New guest">
        <CreateGuestForm images={images} />
      </Card>
      <Card title="All guests">
        <GuestTable guests={guests} recent={recent} />
      </Card>
    </div>
  );
}
