"use client";

import { LogIn } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import { loginSchema, type MeView } from "@/lib/shared/protocol";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Button } from "../ui/button";
import { FormAlert, FormField, inputClasses } from "../ui/form-field";

type Field = "username" | "password";

/**
 * Username and password. The daemon answers with the session cookie; the next page is
 * loaded in full so everything after sign-in (the live socket too) starts with it.
 */
export function LoginForm({ next }: { next: string }) {
  const id = useId();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const busy = pending || !hydrated;
  const usernameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (hydrated) usernameRef.current?.focus();
  }, [hydrated]);

  const check = loginSchema.safeParse({ username, password });
  const fieldErrors: Partial<Record<Field, string>> = {};
  if (!check.success) {
    for (const issue of check.error.issues) fieldErrors[issue.path[0] as Field] ??= issue.message;
  }
  const errorFor = (f: Field) => (submitted ? (fieldErrors[f] ?? null) : null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!check.success) return;
    setPending(true);
    setError(null);
    const r = await apiPost<MeView>("/api/auth/login", check.data);
    if (r.ok) {
      window.location.assign(next);
      return;
    }
    setPending(false);
    // 401 wrong password, 403 disabled, 429 slowed down: the daemon's message says which,
    // and how long to wait.
    setError(r.message);
    if (r.status === 401) setPassword("");
  }

  const userId = `${id}-username`;
  const passId = `${id}-password`;
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <FormField label="Username" htmlFor={userId} error={errorFor("username")}>
        <input
          id={userId}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          ref={usernameRef}
          value={username}
          disabled={busy}
          aria-invalid={Boolean(errorFor("username"))}
          aria-describedby={errorFor("username") ? `${userId}-error` : undefined}
          onChange={(e) => setUsername(e.target.value.trim())}
          className={inputClasses(Boolean(errorFor("username")))}
        />
      </FormField>
      <FormField label="Password" htmlFor={passId} error={errorFor("password")}>
        <input
          id={passId}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          disabled={busy}
          aria-invalid={Boolean(errorFor("password"))}
          aria-describedby={errorFor("password") ? `${passId}-error` : undefined}
          onChange={(e) => setPassword(e.target.value)}
          className={inputClasses(Boolean(errorFor("password")))}
        />
      </FormField>
      <FormAlert message={error} boxed />
      <Button type="submit" variant="primary" disabled={busy}>
        <LogIn aria-hidden className="size-4" />
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
