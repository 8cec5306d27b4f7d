import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon, type TestSocket } from "../test-support/daemon-harness";
import { SOCKET_EVENTS } from "./socket-table";

type AnyEmit = (event: string, ...args: unknown[]) => Promise<unknown>;
// A deadline that only catches a reply that never comes.
const ask = (s: TestSocket, event: string, ...args: unknown[]) =>
  (s.timeout(10_000).emitWithAck as unknown as AnyEmit)(event, ...args) as Promise<{ ok: boolean; error?: string }>;

describe("every socket event answers its acknowledgement (real daemon)", () => {
  const daemon = new TestDaemon();
  let s: TestSocket;
  beforeAll(async () => {
    await daemon.start();
    s = await daemon.socket();
  });
  afterAll(() => daemon.cleanup());

  it("answers console:attach sent with only an acknowledgement callback", async () => {
    const reply = await ask(s, "console:attach");
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(/\w/);
  });

  it("answers every event with bad input — no payload, a non-object, unknown fields — with an error", async () => {
    const failures: string[] = [];
    for (const event of Object.keys(SOCKET_EVENTS) as Array<keyof typeof SOCKET_EVENTS>) {
      const takesPayload = SOCKET_EVENTS[event].payload !== null;
      const bad: unknown[][] = takesPayload
        ? [[], [null], [42], ["text"], [[1, 2]], [{ guestId: "x".repeat(100) }], [{ guestId: "abc", evil: 1 }]]
        : [[{}], [1], ["text"], [null]];
      for (const args of bad) {
        let reply: { ok: boolean; error?: string };
        try {
          reply = await ask(s, event, ...args);
        } catch (err) {
          failures.push(`${event} ${JSON.stringify(args)}: ${(err as Error).message}`);
          continue;
        }
        if (reply.ok !== false || typeof reply.error !== "string" || !reply.error)
          failures.push(`${event} ${JSON.stringify(args)} → ${JSON.stringify(reply)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(s.connected).toBe(true);
  });

  it("answers events that need no reply when the client asks for one anyway", async () => {
    expect(await ask(s, "metrics:unwatch")).toEqual({ ok: true });
  });
});
