"use client";

import { LogOut } from "lucide-react";
import { useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import { Button } from "../ui/button";

/** Ends the session at the daemon, then loads the sign-in page (which also drops the socket). */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function signOut() {
    setPending(true);
    setError(null);
    const r = await apiPost("/api/auth/logout");
    // 401: the session had already ended; either way nobody is signed in now.
    if (r.ok || r.status === 401) {
      // A full load, not router.push(): it also drops this tab's socket, which the daemon
      // authorized as the person who just signed out.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign("/login");
      return;
    }
    setPending(false);
    setError(`Sign-out failed: ${r.message}`);
  }
  return (
    <div className="flex flex-col gap-1">
      <Button size="sm" variant="secondary" className="self-start" disabled={pending} onClick={() => void signOut()}>
        <LogOut aria-hidden className="size-3.5" />
        {pending ? "Signing out…" : "Sign out"}
      </Button>
      {error && (
        <p role="alert" className="text-xs text-rose-700">
          {error}
        </p>
      )}
    </div>
  );
}
