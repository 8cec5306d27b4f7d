"use client";

import { Check, Copy, X } from "lucide-react";
import { useState } from "react";
import { Button } from "./button";

/**
 * A secret Corral generated (a password, an API token), shown this once: the daemon keeps
 * only its hash, so once this is dismissed nobody can read it again.
 */
export function OneTimeSecret({
  label,
  secret,
  copyLabel,
  testId,
  onDismiss,
  children,
}: {
  /** The region's accessible name. */
  label: string;
  secret: string;
  copyLabel: string;
  testId: string;
  onDismiss: () => void;
  /** What the secret is and what to do with it. */
  children: React.ReactNode;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <section
      aria-label={label}
      className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <p>{children}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid={testId}
          className="rounded border border-amber-300 bg-white px-2 py-1 font-mono text-base break-all text-slate-900 select-all"
        >
          {secret}
        </code>
        <Button size="sm" variant="secondary" onClick={() => void copy()}>
          {copied === "yes" ? <Check aria-hidden className="size-3.5" /> : <Copy aria-hidden className="size-3.5" />}
          {copied === "yes" ? "Copied" : copyLabel}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          <X aria-hidden className="size-3.5" />
          Done
        </Button>
      </div>
      {copied === "failed" && (
        <p role="alert" className="text-xs text-rose-700">
          The browser did not allow copying: select the text and copy it by hand.
        </p>
      )}
    </section>
  );
}
