import { Card } from "@/components/ui/card";
import { CreateGuestForm } from "@/components/guests/create-guest-form";
import { GuestTable } from "@/components/guests/guest-table";
import { LiveUpdatesNotice } from "@/components/app-shell/live-updates-notice";
import { PageHeader } from "@/components/ui/page-header";
import { QuotaCard } from "@/components/people/quota-card";
import { CPU_WINDOW_MS } from "@/lib/shared/consolidation";
import { requireUser } from "@/lib/server/current-user";
import { daemonGet } from "@/lib/server/daemon-api";
import { plural } from "@/lib/shared/format";
import { findTick, readTickDetail } from "@/lib/server/metric-queries";
import { can, guestListScope } from "@/lib/shared/permissions";
import type { MeView } from "@/lib/shared/protocol";
import { recentForGuests } from "@/lib/shared/recent-samples";
import { db, guestReader } from "@/lib/server/web-db";
import { imageChoices } from "@/lib/server/reads/images";
import { listGuests } from "@/lib/server/reads/guests";

export const dynamic = "force-dynamic";

export default async function GuestsPage() {
  const user = await requireUser();
  const own = guestListScope(user) === "own";
  const [guests, images, tick, me] = await Promise.all([
    listGuests(guestReader(), user),
    imageChoices(db),
    findTick(),
    own ? daemonGet<MeView>("/api/auth/me") : null,
  ]);
  // Sparklines of a daemon that stopped sampling long ago would pass for current ones.
  // A server component renders once per request: "now" is the request's time, not impure.
  // eslint-disable-next-line react-hooks/purity
  const fresh = tick && Date.now() - Date.parse(tick.at) < CPU_WINDOW_MS ? tick : null;
  const { recent } = await readTickDetail(fresh);
  const actor = { id: user.id, role: user.role };
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Guests"
        description={`${plural(guests.length, "guest")} ${own ? "of yours" : "on this host"}. Each is a User-Mode Linux kernel running as an ordinary process.`}
      />
      <LiveUpdatesNotice />
      {me && <QuotaCard me={me} />}
      {can(user, "guest.create") && (
        <Card title="New guest">
          <CreateGuestForm images={images} />
        </Card>
      )}
      <Card title={own ? "Your guests" : "All guests"}>
        <GuestTable
          guests={guests}
          recent={recentForGuests(
            recent,
            guests.map((g) => g.id),
          )}
          actor={actor}
        />
      </Card>
    </div>
  );
}
