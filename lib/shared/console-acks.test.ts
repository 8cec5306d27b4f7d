import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AckPacer } from "./console-acks";

describe("AckPacer", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("acks a burst of small messages once, after the window, with the last seq", () => {
    const sent: number[] = [];
    const p = new AckPacer((seq) => sent.push(seq), 1000, 40);
    for (let seq = 1; seq <= 50; seq++) p.parsed(seq, 10);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(sent).toEqual([50]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([50]);
  });

  it("acks at once when a window's worth of characters is parsed", () => {
    const sent: number[] = [];
    const p = new AckPacer((seq) => sent.push(seq), 1000, 40);
    p.parsed(1, 600);
    p.parsed(2, 400);
    expect(sent).toEqual([2]);
    p.parsed(3, 5);
    vi.advanceTimersByTime(40);
    expect(sent).toEqual([2, 3]);
  });

  it("acks a snapshot at once and counts from it, even when a new epoch numbers lower", () => {
    const sent: number[] = [];
    const p = new AckPacer((seq) => sent.push(seq), 1000, 40);
    p.parsed(90, 5);
    p.snapshot(3);
    vi.advanceTimersByTime(40);
    expect(sent).toEqual([3]);
    p.parsed(4, 5);
    vi.advanceTimersByTime(40);
    expect(sent).toEqual([3, 4]);
  });

  it("ignores what it already counted and sends nothing once cancelled", () => {
    const sent: number[] = [];
    const p = new AckPacer((seq) => sent.push(seq), 1000, 40);
    p.parsed(5, 5);
    p.parsed(5, 5000);
    p.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });

  // What the daemon's flow control needs: acks only rise, never pass what was parsed, leave
  // under a window's characters unacked after any message, and the last seq is always acked.
  it("whatever the messages and pauses, acks stay honest and the last one is always sent", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ chars: fc.nat(3000), waitMs: fc.nat(60) }), { maxLength: 60 }), (msgs) => {
        const sent: number[] = [];
        const p = new AckPacer((seq) => sent.push(seq), 1000, 40);
        msgs.forEach((m, i) => {
          p.parsed(i + 1, m.chars);
          const acked = sent.at(-1) ?? 0;
          expect(acked).toBeLessThanOrEqual(i + 1);
          const unacked = msgs.slice(acked, i + 1).reduce((n, x) => n + x.chars, 0);
          expect(unacked).toBeLessThan(1000);
          vi.advanceTimersByTime(m.waitMs);
        });
        vi.advanceTimersByTime(40);
        for (let i = 1; i < sent.length; i++) expect(sent[i]).toBeGreaterThan(sent[i - 1]);
        expect(sent.at(-1) ?? 0).toBe(msgs.length);
      }),
    );
  });
});
