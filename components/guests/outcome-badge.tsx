import clsx from "clsx";
import type { BootOutcome } from "@/lib/shared/protocol";

type Tone = "clean" | "warn" | "bad" | "live";

const OUTCOMES: Record<BootOutcome, { label: string; tone: Tone }> = {
  "powered-off": { label: "powered off", tone: "clean" },
  halted: { label: "halted", tone: "clean" },
  rebooted: { label: "rebooted", tone: "clean" },
  killed: { label: "forced off", tone: "warn" },
  "daemon-restart": { label: "daemon restart", tone: "warn" },
  panicked: { label: "panicked", tone: "bad" },
  crashed: { label: "crashed", tone: "bad" },
  "boot-timeout": { label: "boot timeout", tone: "bad" },
  failed: { label: "failed to start", tone: "bad" },
};

const TONES: Record<Tone, string> = {
  clean: "bg-slate-100 text-slate-700 ring-slate-300",
  warn: "bg-amber-50 text-amber-800 ring-amber-300",
  bad: "bg-rose-50 text-rose-800 ring-rose-300",
  live: "bg-sky-50 text-sky-800 ring-sky-300",
};

interface OutcomeBadgeProps {
  outcome: BootOutcome | null;
  /** The daemon's explanation (panic message, exit status…), shown as a tooltip. */
  detail?: string | null;
  /** A boot without an outcome that has not ended is still in progress. */
  ended: boolean;
}

/** How a boot ended. */
export function OutcomeBadge({ outcome, detail, ended }: OutcomeBadgeProps) {
  const { label, tone } = outcome
    ? OUTCOMES[outcome]
    : ended
      ? { label: "unknown", tone: "warn" as const }
      : { label: "in progress", tone: "live" as const };
  return (
    <span
      data-outcome={outcome ?? (ended ? "unknown" : "in-progress")}
      title={detail ?? undefined}
      className={clsx(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        TONES[tone],
        detail && "cursor-help",
      )}
    >
      {label}
    </span>
  );
}
