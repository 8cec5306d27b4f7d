"use client";

import { useId, useState } from "react";
import { passwordSchema } from "@/lib/shared/protocol";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { inputClasses } from "../ui/form-field";

/** Sets a user's password: the one typed here, or (left blank) one the daemon generates. */
export function ResetPasswordDialog({
  username,
  error,
  onReset,
  onCancel,
}: {
  username: string;
  error: string | null;
  onReset: (password: string | undefined) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [value, setValue] = useState("");
  const [touched, setTouched] = useState(false);
  const check = value === "" ? null : passwordSchema.safeParse(value);
  const fieldError = touched && check && !check.success ? check.error.issues[0]?.message : null;
  return (
    <ConfirmDialog
      title={`Reset the password of ${username}?`}
      confirmLabel="Reset password"
      tone="danger"
      onCancel={onCancel}
      onConfirm={() => {
        setTouched(true);
        if (!check || check.success) onReset(value || undefined);
      }}
    >
      <p className="mb-3">Their old password stops working. Leave the field blank to have one generated.</p>
      <label htmlFor={id} className="text-xs font-medium text-slate-700">
        New password
      </label>
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        value={value}
        aria-invalid={Boolean(fieldError)}
        aria-describedby={fieldError ? `${id}-error` : undefined}
        onChange={(e) => {
          setValue(e.target.value);
          setTouched(true);
        }}
        className={`${inputClasses(Boolean(fieldError))} mt-1 w-full`}
      />
      {fieldError && (
        <p id={`${id}-error`} className="mt-1 text-xs text-rose-700">
          {fieldError}
        </p>
      )}
      {error && (
        <p role="alert" className="mt-3 text-sm text-rose-700">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}
