import type { Metadata } from "next";
import { FormAlert } from "@/components/ui/form-field";
import { PageHeader } from "@/components/ui/page-header";
import type { QuotaOverrides } from "@/components/people/quota-dialog";
import { UsersAdmin } from "@/components/people/users-admin";
import { requireAllowed } from "@/lib/server/current-user";
import { daemonGet } from "@/lib/server/daemon-api";
import type { UserView } from "@/lib/shared/protocol";
import { db } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const admin = await requireAllowed("users.manage");
  // The daemon counts usage (disk lives only in its files); the stored quota columns say
  // which limits are a user's own and which are the site default, which UserView does not.
  const [users, rows] = await Promise.all([
    daemonGet<UserView[]>("/api/users"),
    db.user.findMany({ select: { id: true, maxGuests: true, maxMemoryMiB: true, maxDiskMiB: true } }),
  ]);
  const overrides: Record<string, QuotaOverrides> = Object.fromEntries(rows.map(({ id, ...q }) => [id, q]));
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Users"
        description="Who may sign in, with which role. Developers create guests within their quota; managers only look."
      />
      {users.ok ? (
        <UsersAdmin users={users.data} overrides={overrides} selfId={admin.id} />
      ) : (
        <FormAlert message={`The users could not be read: ${users.message}`} boxed />
      )}
    </div>
  );
}
