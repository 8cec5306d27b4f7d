"use client";

import { useId, useState } from "react";
import { quotaSchema, type QuotaView } from "@/lib/shared/protocol";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { inputClasses } from "../ui/form-field";

/** A user's own quota limits as stored: null where the site default applies. */
export interface QuotaOverrides {
  maxGuests: number | null;
  maxMemoryMiB: number | null;
  maxDiskMiB: number | null;
}
type Key = keyof QuotaOverrides;

const FIELDS: ReadonlyArray<{ key: Key; label: string }> = [
  { key: "maxGuests", label: "Maximum guests" },
  { key: "maxMemoryMiB", label: "Total memory (MiB)" },
  { key: "maxDiskMiB", label: "Total disk (MiB)" },
];

/** Edits one developer's quota; a blank field means the site default. */
export function QuotaDialog({
  username,
  overrides,
  inForce,
  error,
  onSave,
  onCancel,
}: {
  username: string;
  overrides: QuotaOverrides;
  /** The limits in force now, shown as the blank fields' placeholders when they are defaults. */
  inForce: QuotaView | null;
  /** The daemon's refusal of the last save. */
  error: string | null;
  onSave: (quota: QuotaOverrides) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [values, setValues] = useState<Record<Key, string>>({
    maxGuests: overrides.maxGuests?.toString() ?? "",
    maxMemoryMiB: overrides.maxMemoryMiB?.toString() ?? "",
    maxDiskMiB: overrides.maxDiskMiB?.toString() ?? "",
  });
  const [touched, setTouched] = useState(false);
  const parsed = {
    maxGuests: toNumber(values.maxGuests),
    maxMemoryMiB: toNumber(values.maxMemoryMiB),
    maxDiskMiB: toNumber(values.maxDiskMiB),
  };
  const check = quotaSchema.safeParse(parsed);
  const errors: Partial<Record<Key, string>> = {};
  if (!check.success) {
    for (const i of check.error.issues)
      errors[i.path[0] as Key] ??= "Enter a whole number of 0 or more, or leave blank.";
  }

  return (
    <ConfirmDialog
      title={`Quota of ${username}`}
      confirmLabel="Save quota"
      tone="neutral"
      onCancel={onCancel}
      onConfirm={() => {
        setTouched(true);
        if (check.success) onSave(parsed);
      }}
    >
      <p className="mb-3">Leave a field blank to use the site default.</p>
      <div className="flex flex-col gap-3">
        {FIELDS.map(({ key, label }) => {
          const fid = `${id}-${key}`;
          const err = touched ? errors[key] : undefined;
          return (
            <div key={key} className="flex flex-col gap-1">
              <label htmlFor={fid} className="text-xs font-medium text-slate-700">
                {label}
              </label>
              <input
                id={fid}
                type="number"
                inputMode="numeric"
                min={0}
                value={values[key]}
                placeholder={inForce && overrides[key] === null ? `default (${inForce[key]})` : "default"}
                aria-invalid={Boolean(err)}
                aria-describedby={err ? `${fid}-error` : undefined}
                onChange={(e) => {
                  setValues((v) => ({ ...v, [key]: e.target.value }));
                  setTouched(true);
                }}
                className={inputClasses(Boolean(err))}
              />
              {err && (
                <p id={`${fid}-error`} className="text-xs text-rose-700">
                  {err}
                </p>
              )}
            </div>
          );
        })}
      </div>
      {error && (
        <p role="alert" className="mt-3 text-sm text-rose-700">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}

/** Blank: the default (null). Anything else must parse as a number; NaN fails the schema. */
function toNumber(raw: string): number | null {
  return raw.trim() === "" ? null : Number(raw);
}
