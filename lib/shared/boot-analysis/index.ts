// Boot analysis: a boot's recorded console into a timeline (parseBoot, or BootParser fed
// event by event), and a boot against the guest's recent ones (compareBoots). Pure: no
// Node built-ins: it runs in the daemon, the web server and the browser alike.
export { BootParser, parseBoot } from "./boot-parser";
export { ProblemLineSpotter } from "./problem-lines";
export { CastFormatError, forEachCastEvent, readCastEvent, readCastHeader, type CastEvent } from "./cast-events";
export { timelineRows, type TimelineMarker, type TimelineRow, type TimelineTone } from "./timeline-rows";
export {
  BASELINE_BOOTS,
  compareBoots,
  MIN_BASELINE_FOR_TIME,
  SLOWER_MIN_RATIO,
  SLOWER_MIN_SECONDS,
  UNIT_SLOWER_MIN_RATIO,
  UNIT_SLOWER_MIN_SECONDS,
  type BootComparison,
  type UnitSlowdown,
} from "./compare-boots";
export {
  ANALYSIS_VERSION,
  BOOT_ENTRY_KINDS,
  PROBLEM_SEVERITY,
  type BootAnalysis,
  type BootEntry,
  type BootEntryKind,
  type BootUnit,
  type ParseBootOptions,
  type ProblemSeverity,
  type UnitFailureCause,
} from "./types";
