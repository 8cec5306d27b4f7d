// What the API and the pages say about a boot's analysis (lib/shared/boot-analysis).
import type { BootAnalysis, BootComparison } from "../boot-analysis";
import type { BootView } from "./guests";

/** A boot's analysis in brief: what lists mark a guest by. */
export interface BootHealth {
  /** A failed unit, an OOM kill, a filesystem error, an oops or a panic. */
  hasFailures: boolean;
  /** Slower than the guest's recent boots, a new failure, or no prompt where they reached one. */
  regressed: boolean;
  /** Problems of every severity (warnings and fsck repairs too). */
  problems: number;
  /** The comparison in one sentence. */
  summary: string;
}

/** GET /api/guests/:id/boots/:n/analysis */
export interface BootAnalysisView {
  boot: BootView;
  analysis: BootAnalysis;
  comparison: BootComparison;
  /** When it was analysed; null when it was computed for this answer and not stored. */
  analyzedAt: string | null;
  /** The boot had not ended when it was analysed: more may have happened since. */
  partial: boolean;
  /** Made by an older parser and the log is gone, so it could not be made again. */
  outdated: boolean;
}

/** Why a boot has no analysis (the API answers 404 with it). */
export const NO_BOOT_ANALYSIS =
  "This boot has no analysis: its log was removed before it was analysed. Newer boots are analysed as they end.";
