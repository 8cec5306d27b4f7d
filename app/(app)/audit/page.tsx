import type { Metadata } from "next";
import { AuditFilterForm } from "@/components/people/audit-filter-form";
import { AuditTable } from "@/components/people/audit-table";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { VerifyChainButton } from "@/components/people/verify-chain-button";
import { auditQueryFrom } from "@/lib/shared/audit-filter";
import { requireAllowed } from "@/lib/server/current-user";
import { daemonGet } from "@/lib/server/daemon-api";
import { plural } from "@/lib/shared/format";
import type { AuditEntryView } from "@/lib/shared/protocol";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  await requireAllowed("audit.read");
  const q = auditQueryFrom(await searchParams);
  // The daemon filters: one implementation of what "actor" and "action" match.
  const entries = q.ok ? await daemonGet<AuditEntryView[]>(`/api/audit?${q.query}`) : null;
  const actions = entries?.ok ? [...new Set(entries.data.map((e) => e.action))].sort() : [];
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <PageHeader
        title="Audit"
        description="Every change and sign-in: who, what, when, from where, and how it went. Each entry's hash covers the one before it."
        actions={<VerifyChainButton />}
      />
      <Card title="Filter">
        <AuditFilterForm filter={q.filter} actions={actions} />
      </Card>
      {!q.ok ? (
        <p role="alert" className="text-sm text-rose-700">
          {q.message}
        </p>
      ) : entries && !entries.ok ? (
        <p role="alert" className="text-sm text-rose-700">
          The audit trail could not be read: {entries.message}
        </p>
      ) : (
        <Card
          title="Entries"
          aside={entries ? `${plural(entries.data.length, "entry", "entries")}, newest first` : null}
        >
          <AuditTable entries={entries?.data ?? []} />
        </Card>
      )}
    </div>
  );
}
