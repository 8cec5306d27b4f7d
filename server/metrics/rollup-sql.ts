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
 * Parameters, in the order they appear: the rollup's period, its start time, the host's id, the
 * period it is built from, and the bucket's start and end times (each time as the database's
 * text: see MetricsStore). Only the host's own rows are read, so each group has one hostId.
 */
function guestRollup(p: (type: "text" | "int" | "time") => string): string {
  // Every column of a row, by name: a new column cannot be left out of the rollup unnoticed.
  const picks: Record<keyof GuestRow, string> = {
    guestId: `"guestId"`,
    hostId: `"hostId"`,
    period: p("int"),
    at: p("time"),
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
  const values = Object.values(picks).join(", ");
  return (
    `INSERT INTO "GuestSample" (${columns.join(", ")}) SELECT ${values} ` +
    `FROM "GuestSample" WHERE "hostId" = ${p("text")} AND "period" = ${p("int")} ` +
    `AND "at" >= ${p("time")} AND "at" < ${p("time")} GROUP BY "guestId", "hostId"`
  );
}

function statement(sqlite: boolean): string {
  const types = { text: "text", int: "integer", time: "timestamp(3)" };
  let n = 0;
  // SQLite compares times as text, in the spelling the rows were written in; PostgreSQL
  // ignores a zone in a literal for timestamp (without time zone): UTC, as Prisma writes.
  return guestRollup((type) => (sqlite ? "?" : `$${++n}::${types[type]}`));
}

const STATEMENTS = { sqlite: statement(true), postgresql: statement(false) };

/** The statement and its arguments, for the parameters above in their order. */
export function guestRollupQuery(sqlite: boolean, values: [number, string, string, number, string, string]) {
  return [sqlite ? STATEMENTS.sqlite : STATEMENTS.postgresql, ...values] as const;
}
