"use client";

import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiDelete } from "@/lib/shared/api-client";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";

/** Deletes an unused image; the daemon refuses one that guests or their snapshots use. */
export function ImageDeleteButton({
  id,
  name,
  inUse,
  redirectTo,
}: {
  id: string;
  name: string;
  /** Some guest uses it (the daemon would refuse). */
  inUse: boolean;
  /** Where to go once it is gone (its own page no longer exists). */
  redirectTo?: string;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
        disabled={inUse}
        title={inUse ? "In use by guests: delete them first" : undefined}
        onClick={() => setConfirming(true)}
      >
        <Trash2 className="size-3.5" aria-hidden /> Delete
      </Button>
      {confirming && (
        <ConfirmDialog
          title={`Delete the image ${name}?`}
          confirmLabel="Delete image"
          tone="danger"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            setConfirming(false);
            const r = await apiDelete(`/api/images/${encodeURIComponent(id)}`);
            if (!r.ok) setError(r.message);
            else if (redirectTo) return router.push(redirectTo);
            router.refresh();
          }}
        >
          Its file is removed from the data directory. No guest uses it.
        </ConfirmDialog>
      )}
    </span>
  );
}
