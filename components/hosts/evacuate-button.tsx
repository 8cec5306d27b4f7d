"use client";

import { Truck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiRequest } from "@/lib/shared/api-client";
import type { EvacuationResult } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EvacuationResults } from "./evacuation-results";

/** Moves every stopped guest off a host in maintenance (admins), then says what became of each. */
export function EvacuateButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<EvacuationResult | null>(null);
  const evacuate = async () => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    // Held: moving every guest outlasts what any hop waits for an answer (held-answer.ts).
    const r = await apiRequest<EvacuationResult>(`/api/hosts/${encodeURIComponent(id)}/evacuate`, {
      method: "POST",
      held: true,
    });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setResult(r.data);
    router.refresh();
  };
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" disabled={busy} onClick={() => setConfirming(true)}>
          <Truck className="size-3.5" aria-hidden /> {busy ? "Evacuating…" : "Evacuate"}
        </Button>
        {error && (
          <span role="alert" className="text-xs text-rose-700">
            {error}
          </span>
        )}
      </div>
      {result && <EvacuationResults result={result} />}
      {confirming && (
        <ConfirmDialog
          title={`Evacuate host ${name}?`}
          confirmLabel="Evacuate"
          tone="neutral"
          onCancel={() => setConfirming(false)}
          onConfirm={() => void evacuate()}
        >
          Each stopped guest on {name} moves, one at a time, to the host Corral would place it on now. Running guests
          stay: stop them first, then evacuate again.
        </ConfirmDialog>
      )}
    </div>
  );
}
