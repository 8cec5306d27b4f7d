"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { plural } from "@/lib/shared/format";
import type { ApiTokenView, CreatedTokenView } from "@/lib/shared/protocol";
import { Card } from "../ui/card";
import { DataTable } from "../ui/data-table";
import { OneTimeSecret } from "../ui/one-time-secret";
import { ApiTokenForm } from "./api-token-form";
import { ApiTokenRow } from "./api-token-row";

const COLUMNS = ["Name", "Scope", "Expires", "Last used", "Created"];

/** The account page's API tokens: create one (its secret shown once), list and revoke them. */
export function ApiTokens({ tokens, role }: { tokens: ApiTokenView[]; role: string }) {
  const router = useRouter();
  const [created, setCreated] = useState<CreatedTokenView | null>(null);
  return (
    <Card title="API tokens" aside={plural(tokens.length, "token")}>
      <p className="px-4 pt-3 text-sm text-slate-600">
        For scripts and the <code>corral</code> command line: send it as{" "}
        <code className="text-xs">Authorization: Bearer corral_…</code>. The API is described at{" "}
        <a className="text-sky-700 underline" href="/api-reference">
          API reference
        </a>
        .
      </p>
      <ApiTokenForm
        role={role}
        onCreated={(c) => {
          setCreated(c);
          router.refresh();
        }}
      />
      {created && (
        <div className="px-4 pb-4">
          <OneTimeSecret
            label={`New API token ${created.token.name}`}
            secret={created.secret}
            copyLabel="Copy token"
            testId="one-time-token"
            onDismiss={() => setCreated(null)}
          >
            Token <strong>{created.token.name}</strong>. It is shown only now: copy it into your script or{" "}
            <code>corral</code> configuration.
          </OneTimeSecret>
        </div>
      )}
      {tokens.length > 0 && (
        <DataTable columns={COLUMNS} trailing="Actions">
          {tokens.map((t) => (
            <ApiTokenRow key={t.id} token={t} onRevoked={() => router.refresh()} />
          ))}
        </DataTable>
      )}
    </Card>
  );
}
