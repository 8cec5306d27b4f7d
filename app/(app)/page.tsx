import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { CreateGuestForm } from "@/components/guests/create-guest-form";
import { GuestListFilters } from "@/components/guests/guest-list-filters";
import { GuestTable } from "@/components/guests/guest-table";
import { LiveUpdatesNotice } from "@/components/app-shell/live-updates-notice";
import { PageHeader } from "@/components/ui/page-header";
import { QuotaCard } from "@/components/people/quota-card";
import { CPU_WINDOW_MS } from "@/lib/shared/consolidation";
import { requireUser } from "@/lib/server/current-user";
import { daemonGet } from "@/lib/server/daemon-api";
import { plural } from "@/lib/shared/format";
import { findTick, readRecentSamples } from "@/lib/server/metric-queries";
import { can, guestListScope } from "@/lib/shared/permissions";
import { DEFAULT_PAGE_SIZE, filterOf, guestListSearch, parseGuestListParams, type MeView } from "@/lib/shared/protocol";
import { db, guestReader } from "@/lib/server/web-db";
import { imageChoices } from "@/lib/server/reads/images";
import { listHosts } from "@/lib/server/reads/hosts";
import { hostChoices } from "@/lib/shared/host-choices";
import { guestFilterChoices, queryGuests } from "@/lib/server/reads/guests";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GuestsPage({ searchParams }: Props) {
  const user = await requireUser();
  const own = guestListScope(user) === "own";
  // The list's search, filters, sort and page are in the URL (lib/shared/protocol/guest-list.ts).
  const query = parseGuestListParams(await searchParams);
  const per = query.per ?? DEFAULT_PAGE_SIZE;
  const placing = can(user, "guest.create") && can(user, "hosts.manage");
  const [page, choices, images, tick, me, hosts] = await Promise.all([
    queryGuests(guestReader(), user, { ...query, per }),
    guestFilterChoices(db, user),
    imageChoices(db),
    findTick(),
    own ? daemonGet<MeView>("/api/auth/me") : null,
    placing ? listHosts(db) : [],
  ]);
  const lastPage = Math.max(1, Math.ceil(page.total / per));
  if (page.page > lastPage) redirect(`/${guestListSearch(query, { page: lastPage })}`);
  // Sparklines of a daemon that stopped sampling long ago would pass for current ones.
  // A server component renders once per request: "now" is the request's time, not impure.
  // eslint-disable-next-line react-hooks/purity
  const fresh = tick && Date.now() - Date.parse(tick.at) < CPU_WINDOW_MS ? tick : null;
  // Only the rows on screen: a page never reads, or hands the browser, others' figures.
  const recent = await readRecentSamples(
    fresh,
    page.guests.map((g) => g.id),
  );
  const actor = { id: user.id, role: user.role };
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Guests"
        description={
          Object.values(filterOf(query)).some((v) => v !== undefined)
            ? `${plural(page.total, "guest")} ${own ? "of yours " : ""}${page.total === 1 ? "matches" : "match"} this filter.`
            : `${plural(page.total, "guest")} ${own ? "of yours" : "on this host"}. Each is a User-Mode Linux kernel running as an ordinary process.`
        }
      />
      <LiveUpdatesNotice />
      {me && <QuotaCard me={me} />}
      {can(user, "guest.create") && (
        <Card title="New guest">
          <CreateGuestForm images={images} hosts={hostChoices(hosts)} />
        </Card>
      )}
      <Card title={own ? "Your guests" : "All guests"}>
        <GuestListFilters key={guestListSearch(query)} query={query} choices={choices} />
        <GuestTable key={guestListSearch(query)} page={page} query={query} recent={recent} actor={actor} />
      </Card>
    </div>
  );
}
