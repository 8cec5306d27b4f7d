import { describe, expect, it } from "vitest";
import { HELD_TYPE, HeldAnswerBroken, readHeldAnswer } from "../../lib/shared/held-answer";
import { heldResponse } from "./held-answer";

const held = (chunks: string[], end = true) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const t of chunks) c.enqueue(new TextEncoder().encode(t));
        if (end) c.close();
      },
    }),
    { headers: { "content-type": HELD_TYPE } },
  );

describe("held answers", () => {
  it("stand for their last line, split across chunks anywhere", async () => {
    const last = JSON.stringify({ status: 409, type: "application/json", text: '{"error":{"message":"no"}}' });
    const res = await readHeldAnswer(held(["\n", "\n", last.slice(0, 7), last.slice(7), "\n"]), 1000);
    expect([res.status, await res.json()]).toEqual([409, { error: { message: "no" } }]);
  });

  it("pass any other answer through as it is", async () => {
    const plain = Response.json({ ok: 1 }, { status: 422 });
    expect(await readHeldAnswer(plain, 1000)).toBe(plain);
  });

  it("fail when they end without the last line, or say nothing for too long", async () => {
    await expect(readHeldAnswer(held(["\n", "\n"]), 1000)).rejects.toThrow(HeldAnswerBroken);
    await expect(readHeldAnswer(held(["\n"], false), 100)).rejects.toThrow(/nothing came for/);
  });

  it("are what the daemon sends: newlines while the work goes on, then its answer", async () => {
    let finish: () => void = () => {};
    const work = new Promise<void>((r) => (finish = r)).then(() => Response.json({ moved: true }, { status: 200 }));
    const res = heldResponse(() => work, 50);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("\n");
    finish();
    let text = "\n";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    const again = await readHeldAnswer(held([text]), 1000);
    expect([again.status, await again.json()]).toEqual([200, { moved: true }]);
  });
});
