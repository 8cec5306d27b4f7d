// The entries of one boot as the parser finds them, within the caps: milestones once each,
// problems kept even past the entry cap (up to their own), everything in time order.
import { PROBLEM_SEVERITY, type BootEntry, type BootEntryKind } from "./types";

export type Milestone = "kernel-start" | "root-mounted" | "init-started" | "prompt" | "ready" | "shutdown";

/** Where in the recording a line was complete. */
export interface Place {
  at: number;
  event: number;
  offset: number;
  kernelTime: number | null;
}

/** Problems are kept beyond the entry cap, up to this many. */
const MAX_PROBLEMS = 1000;
const MAX_LABEL = 200;
const SEVERITY_RANK = { critical: 0, error: 1, warning: 2 } as const;

type EntryFields = Omit<BootEntry, "at" | "event" | "offset" | "kernelTime"> & { kind: BootEntryKind };

export class BootTimeline {
  private readonly entries: BootEntry[] = [];
  private readonly problems: BootEntry[] = [];
  private readonly seen = new Map<Milestone, BootEntry>();
  private others = 0;
  dropped = 0;

  constructor(private readonly maxEntries: number) {}

  add(fields: EntryFields, place: Place): BootEntry | null {
    const problem = PROBLEM_SEVERITY[fields.kind] !== undefined;
    if (problem ? this.problems.length >= MAX_PROBLEMS : this.others >= this.maxEntries) {
      this.dropped++;
      return null;
    }
    const entry: BootEntry = {
      ...fields,
      label: capLabel(fields.label),
      at: place.at,
      event: place.event,
      offset: place.offset,
    };
    if (place.kernelTime !== null) entry.kernelTime = place.kernelTime;
    this.entries.push(entry);
    if (problem) this.problems.push(entry);
    else this.others++;
    return entry;
  }

  /** A milestone happens once per boot: only the first is kept. */
  milestone(kind: Milestone, label: string, place: Place): void {
    if (this.seen.has(kind)) return;
    const entry = this.add({ kind, label }, place);
    if (entry) this.seen.set(kind, entry);
  }

  get(kind: Milestone): BootEntry | undefined {
    return this.seen.get(kind);
  }

  has(kind: Milestone): boolean {
    return this.seen.has(kind);
  }

  /** A later line says it better (or the earlier one was premature): the milestone moves there. */
  move(kind: Milestone, label: string, place: Place): void {
    const entry = this.seen.get(kind);
    if (!entry) return;
    Object.assign(entry, { at: place.at, event: place.event, offset: place.offset, label: capLabel(label) });
    if (place.kernelTime !== null) entry.kernelTime = place.kernelTime;
    else delete entry.kernelTime;
  }

  forget(kind: Milestone): void {
    const entry = this.seen.get(kind);
    if (!entry) return;
    this.seen.delete(kind);
    this.entries.splice(this.entries.indexOf(entry), 1);
    this.others--;
  }

  /**
   * In order of time. A line is timed by its last text, which can come before a marker
   * or a prompt noticed while its line end was still on the way: hence a (stable) sort.
   */
  sortedEntries(): BootEntry[] {
    return [...this.entries].sort((a, b) => a.at - b.at || a.event - b.event);
  }

  /** Most severe first, then in order of time. */
  sortedProblems(): BootEntry[] {
    const rank = (e: BootEntry) => SEVERITY_RANK[PROBLEM_SEVERITY[e.kind]!];
    return [...this.problems].sort((a, b) => rank(a) - rank(b) || a.at - b.at || a.event - b.event);
  }
}

export function capLabel(label: string): string {
  const t = label.trim();
  return t.length > MAX_LABEL ? `${t.slice(0, MAX_LABEL - 1)}…` : t;
}
