// What commands print: JSON for scripts (--json), otherwise aligned tables and key: value
// lists for people. Results go to stdout; progress and notices go to stderr.

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  /** Right-aligned (numbers). */
  right?: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export function renderTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => String(c.value(r) ?? "-")));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join("\n") + "\n";
}

export function renderFields(fields: Array<[string, string | number | null | undefined]>): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${(k + ":").padEnd(width + 1)} ${v ?? "-"}`).join("\n") + "\n";
}

/** Prints `value` as JSON with --json, else what `human` renders. */
export function print<T>(json: boolean, value: T, human: (v: T) => string): void {
  if (json) printJson(value);
  else process.stdout.write(human(value));
}

/** A notice for the person (stderr, so stdout stays the result). */
export function notice(text: string): void {
  process.stderr.write(text + "\n");
}
