// Each boot's analysis (lib/shared/boot-analysis), read for a guest its caller already found
// visible (reads/guests.ts): the web's boot page and the daemon's API alike. Stored beside
// the boot, versioned: one made by an older parser, or before the boot ended, is made again
// from the log when read. The daemon stores what it computes; the web, which writes
// nothing, computes in memory and leaves storing to the daemon.
import fs from "node:fs";
import readline from "node:readline";
import {
  ANALYSIS_VERSION,
  BASELINE_BOOTS,
  BootParser,
  compareBoots,
  readCastEvent,
  readCastHeader,
  type BootAnalysis,
  type BootComparison,
} from "../../shared/boot-analysis";
import { bootNumberSchema, type BootAnalysisView } from "../../shared/protocol";
import { toBootView } from "../../shared/row-views";
import type { Boot, BootAnalysis as StoredAnalysis } from "../../../generated/prisma/client";
import type { Db } from "../database";
import { rawNumber } from "../raw-statement";
import { FOREIGN_KEY_VIOLATION, isPrismaError, NOT_FOUND } from "../prisma-errors";

export interface BootAnalysisReader {
  db: Db;
  /** Where boot `number` of the guest keeps its log (`<data dir>/guests/<id>/boots/<n>.cast`). */
  bootLogPath(guestId: string, number: number): string;
  /** Store what is computed (the daemon); false: compute for this answer only (the web). */
  store: boolean;
}

interface Analysed {
  analysis: BootAnalysis;
  comparison: BootComparison;
  analyzedAt: Date | null;
  partial: boolean;
  outdated: boolean;
}

/** Boot `rawNumber`'s analysis and comparison; null for no such boot, or one with neither a log nor an analysis. */
export async function readBootAnalysis(
  reader: BootAnalysisReader,
  guestId: string,
  rawNumber: string | number,
): Promise<BootAnalysisView | null> {
  const n = bootNumberSchema.safeParse(rawNumber);
  if (!n.success) return null;
  const row = await reader.db.boot.findUnique({
    where: { guestId_number: { guestId, number: n.data } },
    include: { analysis: true },
  });
  if (!row) return null;
  const stored = row.analysis;
  let result: Analysed | null = stored && isCurrent(row, stored) ? fromStored(stored, false) : null;
  result ??= await analyseBoot(reader, row);
  result ??= stored ? fromStored(stored, stored.version !== ANALYSIS_VERSION) : null;
  if (!result) return null;
  const view = toBootView({ ...row, analysis: summarize(result.analysis, result.comparison) });
  return {
    boot: view,
    analysis: result.analysis,
    comparison: result.comparison,
    analyzedAt: result.analyzedAt?.toISOString() ?? null,
    partial: result.partial,
    outdated: result.outdated,
  };
}

/**
 * Analyses `row` from its log now and (for a storing reader) stores it: when a boot becomes
 * ready and when it ends. Null when the log is gone. Never throws for a log it cannot read.
 */
export async function analyseBoot(reader: BootAnalysisReader, row: Boot): Promise<Analysed | null> {
  const analysis = row.logPrunedAt ? null : await parseBootLog(reader.bootLogPath(row.guestId, row.number));
  if (!analysis) return null;
  const partial = row.endedAt === null;
  const comparison = compareBoots(analysis, await earlierAnalyses(reader, row), { inProgress: partial });
  // A boot not yet ready is not worth a mark either way: it is analysed again at readiness.
  if (!reader.store || (partial && row.readyAt === null)) {
    return { analysis, comparison, analyzedAt: null, partial, outdated: false };
  }
  const analyzedAt = new Date();
  const data = {
    version: analysis.version,
    analyzedAt,
    complete: !partial,
    analysis: JSON.stringify(analysis),
    comparison: JSON.stringify(comparison),
    readySeconds: analysis.readySeconds,
    ...summarize(analysis, comparison),
  };
  // The boot may have gone with its guest meanwhile: then there is nothing to keep.
  await reader.db.bootAnalysis
    .upsert({ where: { bootId: row.id }, create: { bootId: row.id, ...data }, update: data })
    .catch((err: unknown) => {
      if (!isPrismaError(err, FOREIGN_KEY_VIOLATION, NOT_FOUND)) throw err;
    });
  return { analysis, comparison, analyzedAt, partial, outdated: false };
}

export interface LastBootHealth {
  guestId: string;
  name: string;
  bootNumber: number;
  hasFailures: boolean;
  regressed: boolean;
}

/**
 * Every guest whose last boot had failures or regressed, by name (the consolidation page:
 * for those who see every guest).
 */
export async function listLastBootHealth(db: Db): Promise<LastBootHealth[]> {
  // The newest boot of each guest by the (guestId, number) index, one seek a guest (see
  // last-boots.ts: an include with `take: 1` read every boot).
  const rows = await db.$queryRawUnsafe<
    Array<{ guestId: string; name: string; bootNumber: unknown; hasFailures: unknown; regressed: unknown }>
  >(
    `SELECT g."id" AS "guestId", g."name", b."number" AS "bootNumber", a."hasFailures", a."regressed" ` +
      `FROM "Guest" g JOIN "Boot" b ON b."id" = ` +
      `(SELECT l."id" FROM "Boot" l WHERE l."guestId" = g."id" ORDER BY l."number" DESC LIMIT 1) ` +
      `JOIN "BootAnalysis" a ON a."bootId" = b."id" WHERE a."hasFailures" OR a."regressed" ORDER BY g."name"`,
  );
  // SQLite answers booleans as 0 and 1.
  return rows.map((r) => ({
    guestId: r.guestId,
    name: r.name,
    bootNumber: rawNumber(r.bootNumber),
    hasFailures: Boolean(r.hasFailures),
    regressed: Boolean(r.regressed),
  }));
}

/**
 * The analyses of up to BASELINE_BOOTS boots before `row` that reached readiness, most
 * recent first. An outdated one is re-parsed for the comparison (it is stored when it is
 * read itself); one whose log is gone counts as stored.
 */
async function earlierAnalyses(reader: BootAnalysisReader, row: Boot): Promise<BootAnalysis[]> {
  if (row.number <= 1) return []; // a guest's first boot (numbers start at 1): nothing to read
  const earlier = await reader.db.boot.findMany({
    where: { guestId: row.guestId, number: { lt: row.number }, readyAt: { not: null } },
    orderBy: { number: "desc" },
    take: BASELINE_BOOTS,
    include: { analysis: true },
  });
  const out: BootAnalysis[] = [];
  for (const boot of earlier) {
    const stored = boot.analysis;
    if (stored && isCurrent(boot, stored)) out.push(JSON.parse(stored.analysis) as BootAnalysis);
    else {
      const parsed = boot.logPrunedAt ? null : await parseBootLog(reader.bootLogPath(boot.guestId, boot.number));
      const analysis = parsed ?? (stored ? (JSON.parse(stored.analysis) as BootAnalysis) : null);
      if (analysis) out.push(analysis);
    }
  }
  return out;
}

/**
 * The log's analysis, read as a stream (a log may be many megabytes: never held whole, and
 * the event loop gets its turns between chunks). Null when it is missing or not a cast.
 */
export async function parseBootLog(file: string): Promise<BootAnalysis | null> {
  const input = fs.createReadStream(file, "utf8");
  const opened = await new Promise<boolean>((resolve) => {
    input.once("open", () => resolve(true));
    input.once("error", () => resolve(false));
  });
  if (!opened) return null;
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const parser = new BootParser();
  let header = true;
  try {
    for await (const line of lines) {
      if (header) {
        readCastHeader(line);
        header = false;
      } else if (line) {
        const event = readCastEvent(line);
        if (event) parser.push(event);
        else parser.skippedEvents++;
      }
    }
  } catch {
    return null; // not a cast file, or unreadable: no analysis rather than a wrong one
  } finally {
    lines.close();
    input.destroy();
  }
  return header ? null : parser.finish();
}

function isCurrent(boot: Boot, stored: StoredAnalysis): boolean {
  return stored.version === ANALYSIS_VERSION && (stored.complete || boot.endedAt === null);
}

function fromStored(stored: StoredAnalysis, outdated: boolean): Analysed {
  return {
    analysis: JSON.parse(stored.analysis) as BootAnalysis,
    comparison: JSON.parse(stored.comparison) as BootComparison,
    analyzedAt: stored.analyzedAt,
    partial: !stored.complete,
    outdated,
  };
}

function summarize(analysis: BootAnalysis, comparison: BootComparison) {
  return {
    problems: analysis.problems.length,
    hasFailures: comparison.hasFailures,
    regressed: comparison.regressed,
    summary: comparison.summary,
  };
}
