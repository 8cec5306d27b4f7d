"use client";

import { Trash2 } from "lucide-react";
import { useState } from "react";
import { apiDelete } from "@/lib/shared/api-client";
import type { ApiTokenView } from "@/lib/shared/protocol";
import { formatUtcTimestamp } from "@/lib/shared/format";
import { useNow } from "@/lib/client/use-now";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { RelativeTime } from "../ui/relative-time";

/** One of the person's tokens: its scope, expiry and last use, and revoking it. */
export function ApiTokenRow({ token, onRevoked }: { token: ApiTokenView; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const expired = token.expiresAt !== null && now !== null && Date.parse(token.expiresAt) <= now;

  async function revoke() {
    setConfirming(false);
    setPending(true);
    setError(null);
    const r = await apiDelete(`/api/account/tokens/${encodeURIComponent(token.id)}`);
    setPending(false);
    if (!r.ok) setError(r.message);
    else onRevoked();
  }

  return (
    <tr className="align-middle">
      <td className="px-4 py-2.5 font-medium text-slate-900">{token.name}</td>
      <td className="px-4 py-2.5">{token.scope === "read" ? "read-only" : "your role"}</td>
      <td className="px-4 py-2.5 whitespace-nowrap">
        {token.expiresAt === null ? (
          <span className="text-slate-500">never</span>
        ) : (
          <span className={expired ? "font-medium text-rose-700" : undefined}>
            {expired ? "expired " : ""}
            <time dateTime={token.expiresAt}>{formatUtcTimestamp(token.expiresAt)}</time>
          </span>
        )}
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap">
        {token.lastUsedAt ? (
          <RelativeTime iso={token.lastUsedAt} />
        ) : (
          <span className="text-slate-500">never used</span>
        )}
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">
        <RelativeTime iso={token.createdAt} />
      </td>
      <td className="px-4 py-2 text-right">
        <Button
          size="sm"
          variant="ghost"
          className="enabled:hover:text-rose-700"
          disabled={pending}
          aria-label={`Revoke ${token.name}`}
          onClick={() => setConfirming(true)}
        >
          <Trash2 aria-hidden className="size-3.5" />
          {pending ? "Revoking…" : "Revoke"}
        </Button>
        {error && (
          <p role="alert" className="text-xs text-rose-700">
            {error}
          </p>
        )}
        {confirming && (
          <ConfirmDialog
            title={`Revoke “${token.name}”?`}
            confirmLabel="Revoke token"
            tone="danger"
            onConfirm={() => void revoke()}
            onCancel={() => setConfirming(false)}
          >
            Scripts using it are refused from their next request, and consoles it opened are closed.
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
