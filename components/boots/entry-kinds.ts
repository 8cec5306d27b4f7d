import type { BootEntryKind, ProblemSeverity } from "@/lib/shared/boot-analysis";

/** What each kind of timeline entry is called on the page. */
export const ENTRY_KIND_LABELS: Record<BootEntryKind, string> = {
  "kernel-start": "Kernel",
  "root-mounted": "Root mounted",
  "init-started": "Init started",
  "unit-started": "Started",
  "unit-failed": "Failed unit",
  "target-reached": "Target",
  "fsck-repair": "Filesystem repaired",
  "fs-error": "Filesystem error",
  "oom-kill": "Out of memory",
  "kernel-warning": "Kernel warning",
  "kernel-oops": "Kernel oops",
  "kernel-panic": "Kernel panic",
  prompt: "Prompt",
  ready: "Ready",
  shutdown: "Shutdown",
};

export const SEVERITY_CLASSES: Record<ProblemSeverity, string> = {
  critical: "bg-rose-100 text-rose-900 ring-rose-400",
  error: "bg-rose-50 text-rose-800 ring-rose-300",
  warning: "bg-amber-50 text-amber-800 ring-amber-300",
};

/** Seconds as the timeline shows them: 12.345 → "12.35 s". */
export function formatSeconds(s: number): string {
  return `${s.toFixed(2)} s`;
}
