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
