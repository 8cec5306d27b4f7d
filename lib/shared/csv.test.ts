import { describe, expect, it } from "vitest";
import { parseCsv } from "../../e2e/csv";
import { csvStream, toCsv } from "./csv";

describe("csv", () => {
  it("quotes only what needs quoting and ends lines with CRLF", () => {
    expect(
      toCsv([
        ["a", 1, null],
        ['say "hi"', "x,y", "two\nlines"],
      ]),
    ).toBe('a,1,\r\n"say ""hi""","x,y","two\nlines"\r\n');
  });

  // The end-to-end tests read exports with this parser: it must read exactly what toCsv writes.
  it("reads back what it writes", () => {
    const rows = [
      ["guest", "cpu"],
      ["web-1", "12.5"],
      ['odd "name", really', ""],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });

  it("reads LF-only files and a last line without a line end", () => {
    expect(parseCsv("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("streams exactly what it writes whole, in chunks of rows", async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => [`guest-${i}`, i, i % 7 ? null : 'a "quoted", field']);
    const chunks: string[] = [];
    for await (const chunk of csvStream(rows) as unknown as AsyncIterable<Uint8Array>)
      chunks.push(new TextDecoder().decode(chunk));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe(toCsv(rows));
  });
});
