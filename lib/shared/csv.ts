// CSV as RFC 4180 writes it: comma-separated, CRLF line ends, fields quoted only when they
// hold a comma, a quote or a line break (quotes doubled).

export type CsvCell = string | number | null;

function field(cell: CsvCell): string {
  const s = cell === null ? "" : String(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: CsvCell[][]): string {
  return rows.map((r) => r.map(field).join(",") + "\r\n").join("");
}

const ROWS_PER_CHUNK = 200;

/**
 * The same CSV as a stream, a few hundred rows per chunk as the reader asks for them: an
 * export of any length is never built as one string on the event loop.
 */
export function csvStream(rows: Iterable<CsvCell[]>): ReadableStream<Uint8Array> {
  const it = rows[Symbol.iterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const batch: CsvCell[][] = [];
      for (let next = it.next(); !next.done; next = it.next()) {
        batch.push(next.value);
        if (batch.length === ROWS_PER_CHUNK) break;
      }
      if (batch.length) controller.enqueue(encoder.encode(toCsv(batch)));
      if (batch.length < ROWS_PER_CHUNK) controller.close();
    },
  });
}
