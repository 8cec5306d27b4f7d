"use client";

import { Wrench } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPatch } from "@/lib/shared/api-client";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";

/** Puts a host in maintenance (no new guests are placed on it) or takes it out (admins). */
export function MaintenanceButton({ id, name, maintenance }: { id: string; name: string; maintenance: boolean }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (on: boolean) => {
    setBusy(true);
    setError(null);
    const r = await apiPatch(`/api/hosts/${encodeURIComponent(id)}`, { maintenance: on });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    router.refresh();
  };
  return (
    <span className="inline-flex items-center gap-2">
      {error && (
        <span role="alert" className="text-xs text-rose-700">
          {error}
        </span>
      )}
      <Button
        size="sm"
        variant="ghost"
        disabled={busy}
        onClick={() => (maintenance ? send(false) : setConfirming(true))}
      >
        <Wrench className="size-3.5" aria-hidden /> {maintenance ? "End maintenance" : "Maintenance"}
      </Button>
      {confirming && (
        <ConfirmDialog
          title={`Put host ${name} in maintenance?`}
          confirmLabel="Start maintenance"
          tone="neutral"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            setConfirming(false);
            await send(true);
          }}
        >
          No new guest is placed on it. The guests it runs keep running: the Hosts page lists them, to stop or
          move.
        </ConfirmDialog>
      )}
    </span>
  );
}
