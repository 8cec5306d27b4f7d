import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { ApiTokens } from "@/components/people/api-tokens";
import { ChangePasswordForm } from "@/components/people/change-password-form";
import { LabelledValue } from "@/components/ui/labelled-value";
import { PageHeader } from "@/components/ui/page-header";
import { QuotaCard } from "@/components/people/quota-card";
import { RoleBadge } from "@/components/people/role-badge";
import { requireUser } from "@/lib/server/current-user";
import { daemonGet } from "@/lib/server/daemon-api";
import type { ApiTokenListView, MeView } from "@/lib/shared/protocol";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

const ROLE_SUMMARY = {
  admin: "Everything: every guest and console, images, users, quotas and the audit trail.",
  developer: "Create guests within your quota; start, stop, delete and use the consoles of your own.",
  manager: "Read: every guest, boot history and logs, consolidation figures. Consoles are watch-only.",
} as const;

export default async function AccountPage() {
  const user = await requireUser();
  const [me, tokens] = await Promise.all([
    user.role === "developer" ? daemonGet<MeView>("/api/auth/me") : null,
    daemonGet<ApiTokenListView>("/api/account/tokens"),
  ]);
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <PageHeader title="Your account" description={ROLE_SUMMARY[user.role]} />
      <dl className="grid grid-cols-2 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm sm:grid-cols-3">
        <LabelledValue label="Username">{user.username}</LabelledValue>
        <LabelledValue label="Name">
          {user.displayName ?? <span className="text-slate-400">not set</span>}
        </LabelledValue>
        <LabelledValue label="Role">
          <RoleBadge role={user.role} />
        </LabelledValue>
      </dl>
      {me && <QuotaCard me={me} />}
      <Card title="Change password">
        <ChangePasswordForm />
      </Card>
      {tokens.ok ? (
        <ApiTokens tokens={tokens.data.tokens} role={user.role} />
      ) : (
        <Card title="API tokens">
          <p role="alert" className="px-4 py-3 text-sm text-rose-700">
            {tokens.message}
          </p>
        </Card>
      )}
    </div>
  );
}
