import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";
import { describe, expect, it } from "vitest";
import { ConsoleScreen, FEED_CHARS, FEED_MS } from "./console-screen";

type Op = { write: string } | { resize: [number, number] } | { waitMs: number };

/** Every call straight to xterm, a resize in its place in the stream (after what came before is parsed). */
async function direct(ops: Op[]): Promise<string> {
  const term = new headless.Terminal({ cols: 80, rows: 24, scrollback: 1000, allowProposedApi: true });
  const ser = new serialize.SerializeAddon();
  term.loadAddon(ser);
  for (const op of ops) {
    if ("write" in op) term.write(op.write);
    else if ("resize" in op) term.write("", () => term.resize(...op.resize));
    else await new Promise((r) => setTimeout(r, op.waitMs));
  }
  return new Promise((resolve) => term.write("", () => resolve(ser.serialize({ scrollback: 1000 }))));
}

async function batched(ops: Op[]): Promise<string> {
  const screen = new ConsoleScreen(80, 24);
  for (const op of ops) {
    if ("write" in op) screen.write(op.write);
    else if ("resize" in op) screen.resize(...op.resize);
    else await new Promise((r) => setTimeout(r, op.waitMs));
  }
  const shown = await screen.snapshot();
  screen.dispose();
  return shown;
}

/** Output as UML gives it: a few bytes a write, escape sequences cut anywhere. */
function pieces(text: string, size: number): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < text.length; i += size) out.push({ write: text.slice(i, i + size) });
  return out;
}

const colourful = Array.from({ length: 1500 }, (_, i) => `\x1b[3${i % 8}mline ${i}\x1b[0m ${"x".repeat(i % 90)}\r\n`).join("");

describe("ConsoleScreen", () => {
  it("shows a viewer who attaches right after the last write exactly what writing straight to xterm showed", async () => {
    const ops = [...pieces(colourful, 3), { write: "\x1b[1mprompt# " }];
    expect(colourful.length).toBeGreaterThan(FEED_CHARS);
    const shown = await batched(ops);
    expect(shown).toContain("line 1499");
    expect(shown.endsWith("prompt# ")).toBe(true);
    expect(shown).toBe(await direct(ops));
  });

  it("keeps resizes in their place among the output, and feeds output held past its window", async () => {
    const ops: Op[] = [
      ...pieces("a".repeat(200) + "\r\nwide line\r\n", 7),
      { waitMs: 5 }, // xterm has parsed it; the screen still holds it
      { resize: [40, 10] },
      ...pieces("narrow " + "b".repeat(100), 5),
      { waitMs: FEED_MS * 3 },
      { write: "\r\nafter a pause" },
      { resize: [120, 30] },
      { write: "\r\nend" },
    ];
    expect(await batched(ops)).toBe(await direct(ops));
  });

  it("reads the cursor after what was written, not before it", async () => {
    const screen = new ConsoleScreen(80, 24);
    screen.write("no newline yet");
    await screen.snapshot();
    expect(screen.atLineStart()).toBe(false);
    screen.write("\r\n");
    await screen.snapshot();
    expect(screen.atLineStart()).toBe(true);
    screen.dispose();
  });
});
