"use client";

import { Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiPatch, guestApiPath } from "@/lib/shared/api-client";
import { editGuestSchema, type GuestViewState, type GuestView } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { inputClasses } from "../ui/form-field";

/**
 * Changes a stopped guest's memory. The daemon checks the host's limit and the owner's
 * quota; its refusal is shown in the dialog.
 */
export function MemoryEditButton({
  guest,
}: {
  guest: { id: string; name: string; memoryMiB: number; state: GuestViewState };
}) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(String(guest.memoryMiB));
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const stopped = guest.state === "stopped" || guest.state === "crashed";
  const check = editGuestSchema.safeParse({ memoryMiB: value.trim() === "" ? NaN : Number(value) });
  const fieldError = check.success ? null : (check.error.issues[0]?.message ?? "Not a memory size.");

  async function save() {
    if (!check.success) return setError(fieldError);
    setPending(true);
    setError(null);
    const r = await apiPatch<GuestView>(guestApiPath(guest.id), check.data);
    setPending(false);
    if (!r.ok) return setError(r.fields.memoryMiB ?? r.message);
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        aria-label="Change memory"
        title={stopped ? "Change memory" : "Stop the guest to change its memory"}
        disabled={!stopped}
        onClick={() => {
          setValue(String(guest.memoryMiB));
          setError(null);
          setOpen(true);
        }}
      >
        <Pencil aria-hidden className="size-3.5" />
      </Button>
      {open && (
        <ConfirmDialog
          title={`Memory of ${guest.name}`}
          confirmLabel={pending ? "Saving…" : "Save memory"}
          tone="neutral"
          onCancel={() => setOpen(false)}
          onConfirm={() => void save()}
        >
          <label htmlFor={id} className="text-xs font-medium text-slate-700">
            Memory (MiB)
          </label>
          <input
            id={id}
            type="number"
            inputMode="numeric"
            step={16}
            value={value}
            aria-invalid={Boolean(error ?? fieldError)}
            aria-describedby={error || fieldError ? `${id}-error` : undefined}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
            className={`${inputClasses(Boolean(error ?? fieldError))} mt-1 w-full`}
          />
          {(error ?? fieldError) && (
            <p id={`${id}-error`} role={error ? "alert" : undefined} className="mt-1 text-xs text-rose-700">
              {error ?? fieldError}
            </p>
          )}
          <p className="mt-2 text-xs text-slate-500">
            Takes effect at the next start. Counts against the owner&apos;s quota.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
