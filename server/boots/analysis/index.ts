// Boot analysis: a boot's recorded console into a timeline (parseBoot, or BootParser fed
// event by event), and a boot against the guest's recent ones (compareBoots). Pure: no
// Node built-ins, so it can move to lib/shared and run in the browser too.
export { BootParser, parseBoot } from "./boot-parser";
export { CastFormatError } from "./cast-events";
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
