import { describe, expect, it } from "vitest";
import { entryHash, GENESIS, verifyChain, type ChainedFields } from "./audit-chain";

function chain(n: number) {
  const out: Array<ChainedFields & { id: number; prevHash: string; hash: string }> = [];
  let prev = GENESIS;
  for (let i = 1; i <= n; i++) {
    const fields = {
      at: new Date(i * 1000),
      actorId: "u1",
      actor: "alice",
      ip: "127.0.0.1",
      action: "guest.start",
      target: `g${i}`,
      outcome: "ok",
      detail: null,
    };
    const hash = entryHash(prev, fields);
    out.push({ ...fields, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe("audit chain", () => {
  it("verifies an untouched chain", () => {
    expect(verifyChain(chain(5))).toMatchObject({ ok: true });
  });

  it("finds an edited field, a deleted entry and a forged hash", () => {
    const edited = chain(5);
    edited[2].outcome = "denied";
    expect(verifyChain(edited)).toEqual({ ok: false, brokenAt: 3, reason: "its contents were changed" });

    const gap = chain(5);
    gap.splice(1, 1);
    expect(verifyChain(gap)).toMatchObject({ ok: false, brokenAt: 3 });

    // Rewriting an entry and recomputing its hash breaks the link to the next one.
    const forged = chain(5);
    forged[3].target = "elsewhere";
    forged[3].hash = entryHash(forged[3].prevHash, forged[3]);
    expect(verifyChain(forged)).toMatchObject({ ok: false, brokenAt: 5 });
    // The newest entry has no successor: only the head anchor (AuditLog) catches that.
    const tail = chain(5);
    tail[4].target = "elsewhere";
    tail[4].hash = entryHash(tail[4].prevHash, tail[4]);
    const r = verifyChain(tail);
    expect(r.ok && r.last).not.toBe(chain(5)[4].hash);
  });
});
