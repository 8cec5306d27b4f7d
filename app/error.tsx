"use client";

import { Button } from "@/components/ui/button";

/** A page that could not be rendered (the database unreadable, say): say so, offer a retry. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto mt-16 flex max-w-lg flex-col items-start gap-3">
      <h1 className="text-2xl font-semibold tracking-tight">This page could not be shown</h1>
      <p role="alert" className="text-sm text-slate-600">
        The web server failed while reading Corral&apos;s database
        {error.digest ? ` (reference ${error.digest}; the web server's log has the details)` : ""}. Check that the data
        directory is the host daemon&apos;s, then try again.
      </p>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
