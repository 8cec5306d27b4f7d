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

function play(screen: ConsoleScreen, ops: Op[]): Promise<void> {
  return ops.reduce<Promise<void>>(async (before, op) => {
    await before;
    if ("write" in op) screen.write(op.write);
    else if ("resize" in op) screen.resize(...op.resize);
    else await new Promise((r) => setTimeout(r, op.waitMs));
  }, Promise.resolve());
}

async function batched(ops: Op[]): Promise<string> {
  const screen = new ConsoleScreen(80, 24);
  await play(screen, ops);
  const shown = await screen.snapshot();
  screen.dispose();
  return shown;
}

async function untilResting(screen: ConsoleScreen, restMs: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!screen.resting) {
    if (Date.now() > deadline) throw new Error("the screen never rested");
    await new Promise((r) => setTimeout(r, restMs));
  }
}

/** Output as UML gives it: a few bytes a write, escape sequences cut anywhere. */
function pieces(text: string, size: number): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < text.length; i += size) out.push({ write: text.slice(i, i + size) });
  return out;
}

const colourful = Array.from(
  { length: 1500 },
  (_, i) => `\x1b[3${i % 8}mline ${i}\x1b[0m ${"x".repeat(i % 90)}\r\n`,
).join("");

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

  describe("resting", () => {
    const REST = 40;

    it("keeps a screen left alone as its serialization, and goes on from it as if it had never rested", async () => {
      const before: Op[] = [...pieces(colourful, 50), { write: "\x1b[1mprompt# " }];
      const after: Op[] = [{ write: "ls\r\n\x1b[32mfile\x1b[0m\r\n" }, { resize: [40, 10] }, { write: "# " }];
      const screen = new ConsoleScreen(80, 24, REST);
      await play(screen, before);
      await untilResting(screen, REST);
      expect(screen.atLineStart()).toBe(false);
      expect(await screen.snapshot()).toBe(await direct(before));
      expect(screen.resting).toBe(true); // a read of a resting screen does not rebuild it
      await play(screen, after);
      expect(screen.resting).toBe(false);
      expect(await screen.snapshot()).toBe(await direct([...before, ...after]));
      screen.dispose();
    });

    it("is rebuilt at the size it rested at when it is resized", async () => {
      const ops: Op[] = [...pieces("a".repeat(150) + "\r\nshort\r\n", 9)];
      const screen = new ConsoleScreen(80, 24, REST);
      await play(screen, ops);
      await untilResting(screen, REST);
      expect(screen.atLineStart()).toBe(true);
      screen.resize(30, 8);
      expect(await screen.snapshot()).toBe(await direct([...ops, { resize: [30, 8] }]));
      screen.dispose();
    });

    it("stays awake while a scroll region is set or the alternate buffer shows (a serialization holds neither)", async () => {
      const screen = new ConsoleScreen(80, 24, REST);
      screen.write("top\r\n\x1b[2;10r\x1b[5;1Hin the region");
      await new Promise((r) => setTimeout(r, REST * 5));
      expect(screen.resting).toBe(false);
      screen.write("\x1b[r\x1b[?1049hfull screen");
      await new Promise((r) => setTimeout(r, REST * 5));
      expect(screen.resting).toBe(false);
      screen.write("\x1b[?1049l# ");
      await untilResting(screen, REST);
      screen.dispose();
    });
  });
});
