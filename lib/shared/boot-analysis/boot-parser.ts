// One pass over a boot's recording, event by event, into its BootAnalysis. Streaming: feed
// events as they come (a live boot) or all at once (parseBoot); memory is bounded by the
// caps, time is linear in the recording.
import type { CastEvent } from "./cast-events";
import { BootTimeline, type Place } from "./boot-timeline";
import { BootUnits, roundSeconds } from "./boot-units";
import { forEachCastEvent } from "./cast-events";
import { classifyLine, stripPrintkTime } from "./classify-line";
import { ConsoleLineSplitter, type ConsoleLine } from "./console-lines";
import type { LineSign } from "./line-sign";
import { UnitNames, wholeEntry, wholeUnits } from "./unit-names";
import { ANALYSIS_VERSION, type BootAnalysis, type BootEntry, type ParseBootOptions } from "./types";

const DEFAULT_MAX_ENTRIES = 5000;
/** A shell or getty prompt at the end of an unfinished line (what ConsoleWatcher knows too). */
const PROMPT = /(?:login: |[#$] )$/;

type Sign<K extends LineSign["kind"]> = Extract<LineSign, { kind: K }>;
/** When a chunk of output came: its time and its event's index. */
type When = { at: number; event: number };

export class BootParser {
  private readonly lines = new ConsoleLineSplitter<When>();
  private readonly timeline: BootTimeline;
  private readonly units: BootUnits;
  private index = 0;
  private time = 0;
  private kernelVersion: string | null = null;
  private os: string | null = null;
  private printkTime = false;
  private lastSign: LineSign | null = null;
  private initFromRunLine = false;
  private rootDefinite = false;
  private lastRepair: BootEntry | null = null;
  private readonly names = new UnitNames();
  /** Recording lines the caller could not read (parseBoot counts them). */
  skippedEvents = 0;

  constructor(options: ParseBootOptions = {}) {
    const max = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.timeline = new BootTimeline(max);
    this.units = new BootUnits(max);
  }

  /** Feeds the recording's next event (`[seconds, code, data]`, as in the cast file). */
  push(event: CastEvent): void {
    const [t, code, data] = event;
    this.time = Math.max(this.time, t);
    if (code === "o" && data.length > 0) {
      if (!this.timeline.has("kernel-start")) this.timeline.milestone("kernel-start", "First output", this.place(0));
      this.lines.feed(data, { at: this.time, event: this.index }, (line) => this.onLine(line));
      if (!this.timeline.has("prompt")) {
        const pending = this.lines.pending();
        if (pending !== null && PROMPT.test(pending)) {
          this.timeline.milestone("prompt", pending, this.place(this.lines.pendingOffset()));
        }
      }
    } else if (code === "m" && data === "ready") {
      this.timeline.milestone("ready", "Corral's ready signal", this.place(this.lines.consumedChars()));
    }
    this.index++;
  }

  /** The analysis of everything fed so far (an unfinished last line counts as a line). */
  finish(): BootAnalysis {
    this.lines.end((line) => this.onLine(line));
    const at = (m: Parameters<BootTimeline["get"]>[0]) => this.timeline.get(m)?.at ?? null;
    const readyTimes = [at("prompt"), at("ready")].filter((t): t is number => t !== null);
    return {
      version: ANALYSIS_VERSION,
      firstOutputSeconds: at("kernel-start"),
      rootMountedSeconds: at("root-mounted"),
      initSeconds: at("init-started"),
      readySeconds: readyTimes.length ? Math.min(...readyTimes) : null,
      shutdownSeconds: at("shutdown"),
      endSeconds: this.time,
      kernelVersion: this.kernelVersion,
      os: this.os,
      printkTime: this.printkTime,
      entries: this.timeline.sortedEntries().map((e) => wholeEntry(e, this.names)),
      problems: this.timeline.sortedProblems().map((e) => wholeEntry(e, this.names)),
      units: wholeUnits(this.units.list(), this.names),
      failedUnits: [...new Set(this.units.failedNames().map((n) => this.names.resolve(n)))],
      droppedEntries: this.timeline.dropped,
      skippedEvents: this.skippedEvents,
    };
  }

  private place(offset: number, kernelTime: number | null = null): Place {
    return { at: this.time, event: this.index, offset, kernelTime };
  }

  private onLine(line: ConsoleLine<When>): void {
    const { text, kernelTime } = stripPrintkTime(line.text);
    if (kernelTime !== null) this.printkTime = true;
    this.names.seeLine(text);
    const sign = classifyLine(text);
    if (!sign) return;
    if ("unit" in sign && typeof sign.unit === "string") {
      // A name shortened to the console's width, written whole when an earlier line showed it.
      const unit = this.names.resolve(sign.unit);
      this.names.learn(unit);
      if (unit !== sign.unit)
        Object.assign(sign, { unit, ...("label" in sign ? { label: this.names.inText(sign.label, sign.unit) } : {}) });
    }
    const previous = this.lastSign;
    this.lastSign = sign;
    const at = line.stamp.at;
    const place: Place = { at, event: line.stamp.event, offset: line.offset, kernelTime };
    const timeline = this.timeline;
    switch (sign.kind) {
      case "kernel-version":
        this.kernelVersion ??= sign.version;
        return;
      case "root-mounted":
        return this.onRootMounted(sign, place);
      case "init-started":
        return this.onInit(sign, place);
      case "prompt":
      case "shutdown":
        return timeline.milestone(sign.kind, sign.label, place);
      case "unit-stopping":
        // systemd also stops things while booting; only after readiness is it the shutdown.
        if (timeline.has("prompt") || timeline.has("ready")) timeline.milestone("shutdown", sign.label, place);
        return;
      case "unit-starting":
        return this.units.starting(sign.unit, sign.description, at);
      case "unit-done":
      case "unit-failed":
        return this.onUnitEnd(sign, place);
      case "target-reached":
        timeline.add({ kind: "target-reached", label: sign.label, unit: sign.unit }, place);
        return;
      case "fsck-repair":
        return this.onRepair(sign, previous, place);
      case "kernel-panic":
        // No init could run: nothing was started, whatever the kernel tried.
        if (sign.label.includes("No working init found") && this.initFromRunLine) timeline.forget("init-started");
        timeline.add({ kind: sign.kind, label: sign.label }, place);
        return;
      default:
        timeline.add({ kind: sign.kind, label: sign.label }, place);
    }
  }

  /** An ext mount before init may be root; `VFS: Mounted root` says so for certain, and wins. */
  private onRootMounted(sign: Sign<"root-mounted">, place: Place): void {
    if (!this.timeline.has("root-mounted")) {
      if (!sign.definite && this.timeline.has("init-started")) return;
      this.timeline.milestone("root-mounted", sign.label, place);
      this.rootDefinite = sign.definite;
    } else if (sign.definite && !this.rootDefinite) {
      this.timeline.move("root-mounted", sign.label, place);
      this.rootDefinite = true;
    }
  }

  private onInit(sign: Sign<"init-started">, place: Place): void {
    if (sign.os) this.os ??= sign.os;
    const fromRunLine = sign.label.startsWith("Run ");
    if (!this.timeline.has("init-started")) {
      this.timeline.milestone("init-started", sign.label, place);
      this.initFromRunLine = fromRunLine;
    } else if (fromRunLine && this.initFromRunLine) {
      // The kernel tries the next program when one cannot run: the last one tried is init.
      this.timeline.move("init-started", sign.label, place);
    }
  }

  private onUnitEnd(sign: Sign<"unit-done" | "unit-failed">, place: Place): void {
    const failure = sign.kind === "unit-failed" ? sign.cause : null;
    const since = this.units.ended(sign.unit, sign.description, place.at, failure);
    this.timeline.add(
      {
        kind: failure ? "unit-failed" : "unit-started",
        label: sign.label,
        unit: sign.unit,
        ...(since !== null ? { since, durationSeconds: roundSeconds(place.at - since) } : {}),
        ...(failure ? { cause: failure } : {}),
      },
      place,
    );
  }

  /** Consecutive repair lines about one device are one repair: the first line, and a count. */
  private onRepair(sign: Sign<"fsck-repair">, previous: LineSign | null, place: Place): void {
    if (previous?.kind === "fsck-repair" && previous.device === sign.device && this.lastRepair) {
      this.lastRepair.count = (this.lastRepair.count ?? 1) + 1;
      return;
    }
    const device = sign.device === null ? {} : { device: sign.device };
    this.lastRepair = this.timeline.add({ kind: "fsck-repair", label: sign.label, ...device, count: 1 }, place);
  }
}

/** Parses a whole recording: the asciicast v2 text as stored, or its events. */
export function parseBoot(input: string | readonly CastEvent[], options: ParseBootOptions = {}): BootAnalysis {
  const parser = new BootParser(options);
  if (typeof input === "string") parser.skippedEvents = forEachCastEvent(input, (e) => parser.push(e));
  else for (const event of input) parser.push(event);
  return parser.finish();
}
