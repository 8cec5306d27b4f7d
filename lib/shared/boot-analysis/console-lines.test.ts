import { describe, expect, it } from "vitest";
import { stripAnsi } from "./ansi";
import { ConsoleLineSplitter, MAX_LINE_CHARS, type ConsoleLine } from "./console-lines";

function split(chunks: string[]): { lines: ConsoleLine<number>[]; pending: string | null } {
  const s = new ConsoleLineSplitter<number>();
  const lines: ConsoleLine<number>[] = [];
  chunks.forEach((c, i) => s.feed(c, i, (l) => lines.push(l)));
  const pending = s.pending();
  s.end((l) => lines.push(l));
  return { lines, pending };
}

const texts = (chunks: string[]) => split(chunks).lines.map((l) => l.text);

describe("stripAnsi", () => {
  it("removes colours, cursor moves, OSC titles and charset selections", () => {
    expect(stripAnsi("[\x1b[0;32m  OK  \x1b[0m] Started \x1b[0;1;39mssh.service\x1b[0m.")).toBe(
      "[  OK  ] Started ssh.service.",
    );
    expect(stripAnsi("bb:/# \x1b[6n")).toBe("bb:/# ");
    expect(stripAnsi("\x1b]0;title\x07a\x1b]2;t\x1b\\b\x1b(Bc\x1b=d")).toBe("abcd");
    expect(stripAnsi("tab\there\x07\x08")).toBe("tab\there");
  });

  it("drops a sequence cut off at the end, and leaves plain text alone", () => {
    expect(stripAnsi("text\x1b[0;3")).toBe("text");
    const plain = "VFS: Mounted root (ext4 filesystem) readonly on device 98:0.";
    expect(stripAnsi(plain)).toBe(plain);
  });
});

describe("ConsoleLineSplitter", () => {
  it("ends lines at LF, CR LF and CR CR LF", () => {
    expect(texts(["a\nb\r\nc\r\r\nd"])).toEqual(["a", "b", "c", "d"]);
  });

  it("joins a line split across chunks, including its CR LF and an escape sequence", () => {
    expect(texts(["[\x1b[0;3", "2m  OK  \x1b[0m] Sta", "rted x.service.\r", "\nnext\r", "\r", "\n"])).toEqual([
      "[  OK  ] Started x.service.",
      "next",
    ]);
  });

  it("treats a lone CR as a redraw of the same line, as a terminal shows it", () => {
    // systemd's ephemeral status line, then the line that replaces it.
    const chunks = [
      "[  ***] A start job is running for foo (3s / 1min 30s)\r",
      "\r\x1b[K[    **] A start job is running for foo (4s / 1min 30s)\r",
      "\r\x1b[K[  OK  ] Started foo.service.\r\n",
      "\rThe system is going down NOW!\r\n",
    ];
    expect(texts(chunks)).toEqual(["[  OK  ] Started foo.service.", "The system is going down NOW!"]);
  });

  it("gives each line's offset in the whole output, and the chunk that brought its last text", () => {
    const { lines } = split(["ab\r\n", "cd", "ef\r", "\n\r\ngh"]);
    expect(lines).toEqual([
      { text: "ab", offset: 0, stamp: 0 },
      { text: "cdef", offset: 4, stamp: 2 },
      { text: "gh", offset: 12, stamp: 3 },
    ]);
  });

  it("shows an unfinished line (a prompt) without its escape sequences", () => {
    const { pending } = split(["\r\nBusyBox v1.35.0\r\n\r\nbb:/# \x1b[6n"]);
    expect(pending).toBe("bb:/# ");
  });

  it("cuts a line that never ends at the cap", () => {
    const huge = "x".repeat(1 << 20);
    const { lines, pending } = split([...Array.from({ length: 16 }, () => huge), "\r\nafter\r\n"]);
    expect(lines.map((l) => l.text.length)).toEqual([MAX_LINE_CHARS, 5]);
    expect(pending).toBeNull();
  });
});
