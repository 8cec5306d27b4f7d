"use client";

import { Check, Copy, X } from "lucide-react";
import { useState } from "react";
import { Button } from "../ui/button";

/**
 * A password Corral generated, shown this once: the daemon keeps only its hash, so once
 * this is dismissed nobody can read it again.
 */
export function OneTimePassword({
  username,
  password,
  onDismiss,
}: {
  username: string;
  password: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <section
      aria-label={`New password for ${username}`}
      className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <p>
        New password for <strong>{username}</strong>. It is shown only now: copy it and give it to them.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="one-time-password"
          className="rounded border border-amber-300 bg-white px-2 py-1 font-mono text-base text-slate-900 select-all"
        >
          {password}
        </code>
        <Button size="sm" variant="secondary" onClick={() => void copy()}>
          {copied === "yes" ? <Check aria-hidden className="size-3.5" /> : <Copy aria-hidden className="size-3.5" />}
          {copied === "yes" ? "Copied" : "Copy password"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          <X aria-hidden className="size-3.5" />
          Done
        </Button>
      </div>
      {copied === "failed" && (
        <p role="alert" className="text-xs text-rose-700">
          The browser did not allow copying: select the password and copy it by hand.
        </p>
      )}
    </section>
  );
}
