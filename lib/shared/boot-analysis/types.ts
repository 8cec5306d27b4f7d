// The boot analysis: what a boot's recorded console says happened, in order. Pure data,
// stored beside the boot and re-computed whenever ANALYSIS_VERSION changes.

/**
 * Bump whenever parseBoot's output for the same recording changes (a new kind, a pattern
 * recognised or dropped, a changed label): stored analyses of another version are stale.
 */
export const ANALYSIS_VERSION = 2;

export const BOOT_ENTRY_KINDS = [
  /** The first output of the boot (UML's own checks, then the kernel). */
  "kernel-start",
  "root-mounted",
  "init-started",
  /** A unit (or an init script's service) started, finished, mounted, listening… */
  "unit-started",
  "unit-failed",
  "target-reached",
  /** A filesystem repaired at boot: e2fsck's fixes, the kernel replaying a journal or deleting orphans. */
  "fsck-repair",
  /** A filesystem or disk error: EXT4-fs error, I/O errors, e2fsck giving up. */
  "fs-error",
  "oom-kill",
  /** WARNING: CPU…, hung tasks, RCU stalls. */
  "kernel-warning",
  /** Oops, BUG:, general protection fault. */
  "kernel-oops",
  "kernel-panic",
  /** The first login or shell prompt: the guest is ready for a person. */
  "prompt",
  /** Corral's own readiness signal (the `ready` marker in the recording). */
  "ready",
  /** The first sign of the guest going down (systemd stopping units, busybox, the kernel). */
  "shutdown",
] as const;
export type BootEntryKind = (typeof BOOT_ENTRY_KINDS)[number];

export type ProblemSeverity = "critical" | "error" | "warning";
/** The kinds that are problems, and how bad each is. */
export const PROBLEM_SEVERITY: Readonly<Partial<Record<BootEntryKind, ProblemSeverity>>> = {
  "kernel-panic": "critical",
  "kernel-oops": "critical",
  "oom-kill": "error",
  "unit-failed": "error",
  "fs-error": "error",
  "kernel-warning": "warning",
  "fsck-repair": "warning",
};

/** failed: the unit itself failed; dependency: something it needs failed; timeout: it never came. */
export type UnitFailureCause = "failed" | "dependency" | "timeout";

export interface BootEntry {
  kind: BootEntryKind;
  /** Seconds from the start of the boot (the recording's clock) when its line was complete. */
  at: number;
  /** Index of the recording's event that completed the line (0 = the first event after the header). */
  event: number;
  /** Where the line starts in the console output (all output events concatenated, UTF-16 units). */
  offset: number;
  /** The console's own words (control sequences and printk timestamp removed; at most 200 characters). */
  label: string;
  /** The kernel's own timestamp in seconds, when the line carried one (printk.time=1). */
  kernelTime?: number;
  /** unit-*, target-reached: the unit's name (`ssh.service`), or its description when the console shows no names. */
  unit?: string;
  /** unit-started, unit-failed: when its `Starting …` line came, and the seconds from then to this entry. */
  since?: number;
  durationSeconds?: number;
  /** unit-failed: why. */
  cause?: UnitFailureCause;
  /** fsck-repair: the repaired device (`/dev/ubda`, `EXT4-fs (ubda)`), if the line names it. */
  device?: string;
  /** fsck-repair: how many repair lines this entry stands for (consecutive lines of one device fold into one). */
  count?: number;
}

/** One unit's start, as `systemd-analyze blame` would show it. */
export interface BootUnit {
  unit: string;
  description: string | null;
  /** When its `Starting …` line came; null if the console never said. */
  startingAt: number | null;
  /** When it started, finished or failed; null if it was still starting when the recording ended. */
  endedAt: number | null;
  /** endedAt − startingAt, when both are known. */
  durationSeconds: number | null;
  result: "started" | "failed" | "pending";
  cause?: UnitFailureCause;
}

export interface BootAnalysis {
  version: number;
  /** Seconds from the start of the boot; null when the recording never shows it. */
  firstOutputSeconds: number | null;
  rootMountedSeconds: number | null;
  initSeconds: number | null;
  /** The first prompt or Corral's ready signal, whichever came first. */
  readySeconds: number | null;
  shutdownSeconds: number | null;
  /** Time of the recording's last event. */
  endSeconds: number;
  kernelVersion: string | null;
  /** The system's name as systemd greets it ("Debian GNU/Linux 12 (bookworm)"). */
  os: string | null;
  /** Whether kernel lines carried printk timestamps. */
  printkTime: boolean;
  /** Everything recognised, in the order it happened. */
  entries: BootEntry[];
  /** The problem entries: most severe first, then in order. The same objects as in `entries`. */
  problems: BootEntry[];
  /** Each unit once, in the order it first appeared. */
  units: BootUnit[];
  /** Units that failed (any cause), each once, in order. */
  failedUnits: string[];
  /** Entries left out because the recording had more than the cap (a pathological log). */
  droppedEntries: number;
  /** Recording lines that could not be read (cut short) and were skipped. */
  skippedEvents: number;
}

export interface ParseBootOptions {
  /** At most this many entries (and units) are kept; problems are kept first. Default 5000. */
  maxEntries?: number;
}
