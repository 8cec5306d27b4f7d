import type { GuestRow } from "./rollup";

// A bucket's guest rollups computed by the database, in one INSERT … SELECT … GROUP BY: the
// same figures as rollupGuest (rollup.ts), which stays their definition
// (metrics-store.int.test.ts holds the two equal). Reading a bucket's rows through Prisma to
// roll them up in JavaScript cost ~150 ms of CPU a minute at 500 guests, and several hundred
// each hour. Column and table names are fixed here, never taken from input.

/** weightedMean in SQL: `value` weighted by `weight`, over rows where value is present; NULL if none. */
function mean(value: string, weight: string): string {
  const counts = `"${weight}" > 0 AND "${value}" IS NOT NULL`;
  return `SUM(CASE WHEN ${counts} THEN "${value}" * "${weight}" END) / SUM(CASE WHEN ${counts} THEN "${weight}" END)`;
}

/**
 * Parameters, in order: the host's id, the rollup's period, its start time, the period it is
 * built from, and the bucket's start and end times (each time as the database's text: see
 * MetricsStore). Only the host's own rows are read.
 */
function guestRollup(p: (n: number, type: "text" | "int" | "time") => string): string {
  // Every column of a row, by name: a new column cannot be left out of the rollup unnoticed.
  const picks: Record<keyof GuestRow, string> = {
    guestId: `"guestId"`,
    hostId: p(1, "text"),
    period: p(2, "int"),
    at: p(3, "time"),
    samples: `SUM("samples")`,
    cpuPct: `COALESCE(${mean("cpuPct", "samples")}, 0)`,
    cpuPctMax: `MAX("cpuPctMax")`,
    hostMemKiB: `COALESCE(${mean("hostMemKiB", "samples")}, 0)`,
    guestSamples: `SUM("guestSamples")`,
    guestMemTotalKiB: mean("guestMemTotalKiB", "guestSamples"),
    guestMemUsedKiB: mean("guestMemUsedKiB", "guestSamples"),
    guestLoad1: mean("guestLoad1", "guestSamples"),
  };
  const columns = Object.keys(picks).map((c) => `"${c}"`);
  return (
    `INSERT INTO "GuestSample" (${columns.join(", ")}) SELECT ${Object.values(picks).join(", ")} ` +
    `FROM "GuestSample" WHERE "hostId" = ${p(1, "text")} AND "period" = ${p(4, "int")} ` +
    `AND "at" >= ${p(5, "time")} AND "at" < ${p(6, "time")} GROUP BY "guestId"`
  );
}

/** Each provider's statement, and which parameter each of its placeholders takes (1-based). */
function placeholders(sqlite: boolean): { sql: string; order: number[] } {
  const order: number[] = [];
  const types = { text: "text", int: "integer", time: "timestamp(3)" };
  const sql = guestRollup((n, type) => {
    order.push(n);
    // SQLite compares times as text, in the spelling the rows were written in; PostgreSQL
    // ignores a zone in a literal for timestamp (without time zone): UTC, as Prisma writes.
    return sqlite ? "?" : `$${n}::${types[type]}`;
  });
  return { sql, order };
}

const STATEMENTS = { sqlite: placeholders(true), postgresql: placeholders(false) };

/**
 * The statement and its arguments for the parameters above, in the order `values` lists them
 * (better-sqlite3 binds only anonymous `?`, so SQLite's repeat a value where it recurs).
 */
export function guestRollupQuery(sqlite: boolean, values: [string, number, string, number, string, string]) {
  const { sql, order } = sqlite ? STATEMENTS.sqlite : STATEMENTS.postgresql;
  return [sql, ...(sqlite ? order.map((n) => values[n - 1]) : values)] as const;
}
