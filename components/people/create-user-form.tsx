"use client";

import { UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import { ROLES, type Role } from "@/lib/shared/permissions";
import { createUserSchema, type UserView } from "@/lib/shared/protocol";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Button } from "../ui/button";
import { FormField, inputClasses, FormAlert } from "../ui/form-field";

type Field = "username" | "displayName" | "role" | "password";
const FIELDS: readonly Field[] = ["username", "displayName", "role", "password"];
const EMPTY = { username: "", displayName: "", role: "developer" as Role, password: "" };

/** A new account. Without a password the daemon generates one, handed to `onPassword` to show once. */
export function CreateUserForm({ onPassword }: { onPassword: (username: string, password: string) => void }) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState(EMPTY);
  const [submitted, setSubmitted] = useState(false);
  const [pending, setPending] = useState(false);
  const [serverFields, setServerFields] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const hydrated = useHydrated();
  const busy = pending || !hydrated;

  const input = {
    username: values.username.trim(),
    role: values.role,
    displayName: values.displayName.trim() || undefined,
    password: values.password || undefined,
  };
  const check = createUserSchema.safeParse(input);
  const clientErrors: Partial<Record<Field, string>> = {};
  if (!check.success) for (const i of check.error.issues) clientErrors[i.path[0] as Field] ??= i.message;
  const errorFor = (f: Field) => (submitted ? clientErrors[f] : null) ?? serverFields[f] ?? null;

  function set<F extends Field>(f: F, v: (typeof EMPTY)[F]) {
    setValues((old) => ({ ...old, [f]: v }));
    setServerFields(({ [f]: _gone, ...rest }) => rest);
    setError(null);
    setCreated(null);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!check.success) return;
    setPending(true);
    setError(null);
    const r = await apiPost<{ user: UserView; password?: string }>("/api/users", check.data);
    setPending(false);
    if (!r.ok) {
      const fields: Partial<Record<Field, string>> = {};
      const leftover: string[] = [];
      for (const [key, message] of Object.entries(r.fields)) {
        const f = FIELDS.find((name) => key === name || key.startsWith(`${name}.`));
        if (f) fields[f] ??= message;
        else leftover.push(message);
      }
      setServerFields(fields);
      setError(Object.keys(fields).length > 0 && leftover.length === 0 ? null : [r.message, ...leftover].join(" "));
      return;
    }
    setValues(EMPTY);
    setSubmitted(false);
    setCreated(r.data.user.username);
    if (r.data.password) onPassword(r.data.user.username, r.data.password);
    router.refresh();
  }

  const fid = (f: Field) => `${id}-${f}`;
  const aria = (f: Field) => ({
    id: fid(f),
    disabled: busy,
    "aria-invalid": Boolean(errorFor(f)),
    "aria-describedby": errorFor(f) ? `${fid(f)}-error` : undefined,
    className: inputClasses(Boolean(errorFor(f))),
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4 p-4">
      <div className="flex flex-wrap items-start gap-4">
        <FormField label="Username" htmlFor={fid("username")} error={errorFor("username")} className="w-48">
          <input
            {...aria("username")}
            autoComplete="off"
            spellCheck={false}
            value={values.username}
            onChange={(e) => set("username", e.target.value)}
          />
        </FormField>
        <FormField
          label="Display name"
          htmlFor={fid("displayName")}
          error={errorFor("displayName")}
          hint="Optional"
          className="w-52"
        >
          <input
            {...aria("displayName")}
            autoComplete="off"
            value={values.displayName}
            onChange={(e) => set("displayName", e.target.value)}
          />
        </FormField>
        <FormField label="Role" htmlFor={fid("role")} error={errorFor("role")} className="w-36">
          <select {...aria("role")} value={values.role} onChange={(e) => set("role", e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </FormField>
        <FormField
          label="Password"
          htmlFor={fid("password")}
          error={errorFor("password")}
          hint="Leave blank to generate one"
          className="w-52"
        >
          <input
            {...aria("password")}
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => set("password", e.target.value)}
          />
        </FormField>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy}>
          <UserPlus aria-hidden className="size-4" />
          {pending ? "Creating…" : "Create user"}
        </Button>
        <FormAlert message={error} />
        {created && (
          <p role="status" className="text-sm text-slate-600">
            Created {created}.
          </p>
        )}
      </div>
    </form>
  );
}
