import { CheckCircle2, XCircle } from "lucide-react";
import type { BulkAction, BulkResponse } from "@/lib/shared/protocol";

const DONE: Record<BulkAction, string> = {
  start: "started",
  stop: "stopping",
  "force-off": "forced off",
  delete: "deleted",
};

/** What a bulk action did to each guest: done, or refused with the daemon's reason. */
export function BulkResults({ response, onDismiss }: { response: BulkResponse; onDismiss: () => void }) {
  const { action, results, succeeded, refused } = response;
  return (
    <section
      aria-label="Bulk action results"
      data-testid="bulk-results"
      className="mx-4 rounded-md border border-slate-200 bg-white text-xs"
    >
      <header className="flex items-center justify-between gap-2 border-b border-slate-100 px-3 py-2">
        <p role="status" className="font-medium text-slate-800">
          {results.length === 0
            ? "No guests matched: nothing was done."
            : `${action === "force-off" ? "Force off" : action[0].toUpperCase() + action.slice(1)}: ${succeeded} succeeded, ${refused} refused.`}
        </p>
        <button type="button" className="text-slate-500 underline hover:no-underline" onClick={onDismiss}>
          Dismiss
        </button>
      </header>
      <ul className="max-h-60 divide-y divide-slate-100 overflow-y-auto">
        {results.map((r) => (
          <li key={r.id} className="flex items-start gap-2 px-3 py-1.5" data-guest={r.id} data-ok={r.ok}>
            {r.ok ? (
              <CheckCircle2 aria-hidden className="mt-px size-3.5 shrink-0 text-emerald-600" />
            ) : (
              <XCircle aria-hidden className="mt-px size-3.5 shrink-0 text-rose-600" />
            )}
            <span className="font-medium text-slate-800">{r.name ?? r.id}</span>{" "}
            <span className={r.ok ? "text-slate-600" : "text-rose-700"}>
              {r.ok ? DONE[action] : `refused: ${r.message}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
