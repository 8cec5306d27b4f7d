"use client";

import { KeyRound } from "lucide-react";
import { useId, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import { createTokenSchema, type CreatedTokenView, type TokenScope } from "@/lib/shared/protocol";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Button } from "../ui/button";
import { FormAlert, FormField, inputClasses } from "../ui/form-field";

const EXPIRY_DAYS = [7, 30, 90, 365] as const;
type Expiry = (typeof EXPIRY_DAYS)[number] | "never";

/** A new API token; the daemon answers with its secret, handed to `onCreated` to show once. */
export function ApiTokenForm({ role, onCreated }: { role: string; onCreated: (created: CreatedTokenView) => void }) {
  const id = useId();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("read");
  const [expiry, setExpiry] = useState<Expiry>(30);
  const [submitted, setSubmitted] = useState(false);
  const [pending, setPending] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const busy = pending || !hydrated;

  const nameCheck = createTokenSchema.shape.name.safeParse(name);
  const shownNameError = (submitted && !nameCheck.success ? nameCheck.error.issues[0].message : null) ?? nameError;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!nameCheck.success) return;
    const expiresAt = expiry === "never" ? null : new Date(Date.now() + expiry * 86_400_000).toISOString();
    setPending(true);
    setError(null);
    const r = await apiPost<CreatedTokenView>("/api/account/tokens", { name: nameCheck.data, scope, expiresAt });
    setPending(false);
    if (!r.ok) {
      setNameError(r.fields.name ?? null);
      setError(r.fields.name && Object.keys(r.fields).length === 1 ? null : r.message);
      return;
    }
    setName("");
    setSubmitted(false);
    onCreated(r.data);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4 p-4">
      <div className="flex flex-wrap items-start gap-4">
        <FormField label="Name" htmlFor={`${id}-name`} error={shownNameError} hint="What uses it" className="w-56">
          <input
            id={`${id}-name`}
            autoComplete="off"
            value={name}
            disabled={busy}
            aria-invalid={Boolean(shownNameError)}
            aria-describedby={shownNameError ? `${id}-name-error` : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setNameError(null);
              setError(null);
            }}
            className={inputClasses(Boolean(shownNameError))}
          />
        </FormField>
        <FormField label="Scope" htmlFor={`${id}-scope`} className="w-56">
          <select
            id={`${id}-scope`}
            value={scope}
            disabled={busy}
            onChange={(e) => setScope(e.target.value as TokenScope)}
            className={inputClasses(false)}
          >
            <option value="read">Read-only (changes nothing)</option>
            <option value="role">Everything your role ({role}) may do</option>
          </select>
        </FormField>
        <FormField label="Expires" htmlFor={`${id}-expiry`} className="w-40">
          <select
            id={`${id}-expiry`}
            value={expiry}
            disabled={busy}
            onChange={(e) => setExpiry(e.target.value === "never" ? "never" : (Number(e.target.value) as Expiry))}
            className={inputClasses(false)}
          >
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                in {d} days
              </option>
            ))}
            <option value="never">never</option>
          </select>
        </FormField>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy}>
          <KeyRound aria-hidden className="size-4" />
          {pending ? "Creating…" : "Create token"}
        </Button>
        <FormAlert message={error} />
      </div>
    </form>
  );
}
