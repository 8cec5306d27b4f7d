// Each unit's start as the console told it: `Starting x…` then `Started x.` (or `Failed to
// start x.`), the time between them its start-up time, as `systemd-analyze blame` has it.
import type { BootUnit, UnitFailureCause } from "./types";

export class BootUnits {
  private readonly units = new Map<string, BootUnit>();
  private readonly failed = new Set<string>();

  constructor(private readonly maxUnits: number) {}

  starting(name: string, description: string | null, at: number): void {
    const unit = this.get(name, description);
    // A unit started again after it came up (a restart) keeps its first start-up time.
    if (unit && unit.startingAt === null && unit.endedAt === null) unit.startingAt = at;
  }

  /** The unit came up or failed; returns when it began starting, if the console said. */
  ended(name: string, description: string | null, at: number, failure: UnitFailureCause | null): number | null {
    if (failure && this.failed.size < this.maxUnits) this.failed.add(name);
    const unit = this.get(name, description);
    if (!unit) return null;
    const since = unit.startingAt;
    if (unit.endedAt === null) {
      unit.endedAt = at;
      unit.durationSeconds = since === null ? null : roundSeconds(at - since);
    }
    if (failure) {
      unit.result = "failed";
      unit.cause = failure;
    } else if (unit.result === "pending") {
      unit.result = "started";
    }
    return since;
  }

  list(): BootUnit[] {
    return [...this.units.values()];
  }

  failedNames(): string[] {
    return [...this.failed];
  }

  private get(name: string, description: string | null): BootUnit | null {
    let unit = this.units.get(name);
    if (!unit) {
      if (this.units.size >= this.maxUnits) return null;
      unit = { unit: name, description, startingAt: null, endedAt: null, durationSeconds: null, result: "pending" };
      this.units.set(name, unit);
    }
    if (unit.description === null && description !== null) unit.description = description;
    return unit;
  }
}

/** Microseconds are what the recording holds; more digits are float noise. */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
