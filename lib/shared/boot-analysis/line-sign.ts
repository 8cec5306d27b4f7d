// What a single console line was recognised as, before the parser places it in the boot.
import type { UnitFailureCause } from "./types";

export type LineSign =
  | { kind: "kernel-version"; version: string }
  | {
      kind: "root-mounted";
      label: string;
      /** `VFS: Mounted root` (an ext mount line only may be root) */ definite: boolean;
    }
  | { kind: "init-started"; label: string; program?: string; os?: string }
  | { kind: "unit-starting"; unit: string; description: string | null }
  | { kind: "unit-done"; label: string; unit: string; description: string | null; verb: string }
  | { kind: "unit-failed"; label: string; unit: string; description: string | null; cause: UnitFailureCause }
  | { kind: "target-reached"; label: string; unit: string; description: string | null }
  /** systemd stopping something: at the end of a boot, the shutdown has begun. */
  | { kind: "unit-stopping"; label: string }
  | { kind: "fsck-repair"; label: string; device: string | null }
  | { kind: "fs-error"; label: string }
  | { kind: "oom-kill"; label: string; process: string }
  | { kind: "kernel-warning"; label: string }
  | { kind: "kernel-oops"; label: string }
  | { kind: "kernel-panic"; label: string }
  | { kind: "shutdown"; label: string }
  | { kind: "prompt"; label: string };
