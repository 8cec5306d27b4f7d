import { describe, expect, it } from "vitest";
import { ConsoleTail, TAIL_CHARS } from "./console-tail";

describe("ConsoleTail", () => {
  it("keeps everything while short, then exactly the last TAIL_CHARS across trims", () => {
    const tail = new ConsoleTail();
    tail.add("boot\r\n");
    expect(tail.get()).toBe("boot\r\n");
    let all = "boot\r\n";
    for (let i = 0; i < 40; i++) {
      const piece = `${i}:`.padEnd(20_000, String.fromCharCode(97 + (i % 26)));
      tail.add(piece);
      all += piece;
      expect(tail.get()).toBe(all.slice(-TAIL_CHARS));
    }
  });
});
