"use client";

import { KeyRound } from "lucide-react";
import { useId, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import { changePasswordSchema } from "@/lib/shared/protocol";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Button } from "../ui/button";
import { FormField, inputClasses, FormAlert, FormDone } from "../ui/form-field";

type Field = "currentPassword" | "newPassword" | "confirm";

/** The signed-in person's own password: the current one, then the new one twice. */
export function ChangePasswordForm() {
  const id = useId();
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: "", newPassword: "", confirm: "" });
  const [submitted, setSubmitted] = useState(false);
  const [pending, setPending] = useState(false);
  const [serverFields, setServerFields] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const hydrated = useHydrated();
  const busy = pending || !hydrated;

  const check = changePasswordSchema.safeParse({
    currentPassword: values.currentPassword,
    newPassword: values.newPassword,
  });
  const clientErrors: Partial<Record<Field, string>> = {};
  if (!check.success) {
    for (const issue of check.error.issues) {
      clientErrors[issue.path[0] as Field] ??=
        issue.path[0] === "currentPassword" ? "Enter your current password." : issue.message;
    }
  }
  if (values.confirm !== values.newPassword) clientErrors.confirm = "The two new passwords differ.";
  const errorFor = (f: Field) => (submitted ? clientErrors[f] : null) ?? serverFields[f] ?? null;

  function set(f: Field, v: string) {
    setValues((old) => ({ ...old, [f]: v }));
    setServerFields(({ [f]: _gone, ...rest }) => rest);
    setError(null);
    setDone(false);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!check.success || clientErrors.confirm) return;
    setPending(true);
    const r = await apiPost("/api/auth/password", check.data);
    setPending(false);
    if (!r.ok) {
      setServerFields(r.fields as Partial<Record<Field, string>>);
      setError(r.message);
      return;
    }
    setValues({ currentPassword: "", newPassword: "", confirm: "" });
    setSubmitted(false);
    setDone(true);
  }

  const field = (f: Field, label: string, autoComplete: string, hint?: string) => {
    const fid = `${id}-${f}`;
    return (
      <FormField label={label} htmlFor={fid} error={errorFor(f)} hint={hint}>
        <input
          id={fid}
          type="password"
          autoComplete={autoComplete}
          value={values[f]}
          disabled={busy}
          aria-invalid={Boolean(errorFor(f))}
          aria-describedby={errorFor(f) ? `${fid}-error` : undefined}
          onChange={(e) => set(f, e.target.value)}
          className={inputClasses(Boolean(errorFor(f)))}
        />
      </FormField>
    );
  };

  return (
    <form onSubmit={submit} noValidate className="flex max-w-sm flex-col gap-4 p-4">
      {field("currentPassword", "Current password", "current-password")}
      {field("newPassword", "New password", "new-password", "At least 10 characters.")}
      {field("confirm", "New password again", "new-password")}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy}>
          <KeyRound aria-hidden className="size-4" />
          {pending ? "Changing…" : "Change password"}
        </Button>
        <FormAlert message={error} />
        {done && <FormDone>Password changed.</FormDone>}
      </div>
    </form>
  );
}
