"use client";

import { useId, useState } from "react";
import type { z } from "zod";
import { ConfirmDialog } from "./confirm-dialog";
import { inputClasses } from "./form-field";

interface PromptDialogProps {
  title: string;
  label: string;
  confirmLabel: string;
  /** Checked as the person types; its message shows under the input. */
  schema: z.ZodType<string>;
  description?: React.ReactNode;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}

/** A confirmation dialog that asks for one name first (clone, commit, snapshot). */
export function PromptDialog({
  title,
  label,
  confirmLabel,
  schema,
  description,
  onSubmit,
  onCancel,
}: PromptDialogProps) {
  const [value, setValue] = useState("");
  const [touched, setTouched] = useState(false);
  const id = useId();
  const check = schema.safeParse(value);
  const error = touched && !check.success ? check.error.issues[0]?.message : null;
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      tone="neutral"
      onCancel={onCancel}
      onConfirm={() => {
        setTouched(true);
        if (check.success) onSubmit(check.data);
      }}
    >
      {description && <p className="mb-3">{description}</p>}
      <label htmlFor={id} className="text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        value={value}
        autoComplete="off"
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setValue(e.target.value);
          setTouched(true);
        }}
        className={`${inputClasses(!!error)} mt-1 w-full`}
      />
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-rose-700">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}
