"use client";

import { ShieldCheck } from "lucide-react";
import { useState } from "react";
import { apiGet, type ApiResult } from "@/lib/shared/api-client";
import type { AuditVerifyView } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { FormAlert } from "../ui/form-field";

/** Asks the daemon to recompute the audit trail's hash chain, and says what it found. */
export function VerifyChainButton() {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ApiResult<AuditVerifyView> | null>(null);
  async function verify() {
    setPending(true);
    setResult(null);
    setResult(await apiGet<AuditVerifyView>("/api/audit/verify"));
    setPending(false);
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      {result && <VerifyResult result={result} />}
      <Button variant="secondary" disabled={pending} onClick={() => void verify()}>
        <ShieldCheck aria-hidden className="size-4" />
        {pending ? "Verifying…" : "Verify chain"}
      </Button>
    </div>
  );
}

function VerifyResult({ result }: { result: ApiResult<AuditVerifyView> }) {
  if (!result.ok) {
    return (
      <FormAlert message={`Could not verify: ${result.message}`} />
    );
  }
  const v = result.data;
  if (v.ok) {
    return (
      <p role="status" className="text-sm text-emerald-700">
        Chain intact: {v.entries.toLocaleString("en")} {v.entries === 1 ? "entry" : "entries"} verified.
      </p>
    );
  }
  return (
    <p role="alert" className="text-sm font-medium text-rose-700">
      Chain broken at entry #{v.brokenAt}
      {v.reason ? `: ${v.reason}` : ""}. Entries from there on may have been altered or removed.
    </p>
  );
}
