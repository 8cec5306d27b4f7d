import clsx from "clsx";
import type { GuestViewState } from "@/lib/shared/protocol";

const STYLES: Partial<Record<GuestViewState, { badge: string; dot: string }>> = {
  stopped: { badge: "bg-slate-100 text-slate-700 ring-slate-300", dot: "bg-slate-400" },
  queued: { badge: "bg-sky-50 text-sky-800 ring-sky-300", dot: "bg-sky-400" },
  booting: { badge: "bg-amber-50 text-amber-800 ring-amber-300", dot: "bg-amber-500 animate-pulse" },
  running: { badge: "bg-emerald-50 text-emerald-800 ring-emerald-300", dot: "bg-emerald-500" },
  stopping: { badge: "bg-amber-50 text-amber-800 ring-amber-300", dot: "bg-amber-500" },
  crashed: { badge: "bg-rose-50 text-rose-800 ring-rose-300", dot: "bg-rose-500" },
};

interface StateBadgeProps {
  state: GuestViewState;
  /** Adds data-testid="guest-state" (the guest page header's badge). */
  testId?: string;
  title?: string;
}

export function StateBadge({ state, testId, title }: StateBadgeProps) {
  // A state this page does not know yet (a newer daemon's) is shown plainly, by its name.
  const style = STYLES[state] ?? { badge: "bg-sky-50 text-sky-800 ring-sky-300", dot: "bg-sky-500" };
  return (
    <span
      data-testid={testId}
      data-state={state}
      title={title}
      className={clsx(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        style.badge,
      )}
    >
      <span aria-hidden className={clsx("size-1.5 rounded-full", style.dot)} />
      {state}
    </span>
  );
}
