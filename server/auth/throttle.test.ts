import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./throttle";

describe("LoginThrottle", () => {
  it("lets three failures for an account from one address through, then makes each next attempt wait twice as long", () => {
    let now = 1_000_000;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterMs("alice", "1.2.3.4")).toBe(0);
      t.failed("alice", "1.2.3.4");
    }
    expect(t.retryAfterMs("alice", "1.2.3.4")).toBe(1000);
    now += 1000;
    t.failed("alice", "1.2.3.4");
    expect(t.retryAfterMs("alice", "1.2.3.4")).toBe(2000);
  });

  it("never locks an account out from an address that has not failed (a stranger cannot lock a user out)", () => {
    const t = new LoginThrottle(() => 0);
    for (let i = 0; i < 50; i++) t.failed("root", `10.0.${i >> 8}.${i & 255}`);
    expect(t.retryAfterMs("root", "9.9.9.9")).toBe(0);
    for (let i = 0; i < 3; i++) t.failed("root", "8.8.8.8");
    expect(t.retryAfterMs("root", "8.8.8.8")).toBeGreaterThan(0);
    expect(t.retryAfterMs("root", "9.9.9.9")).toBe(0);
  });

  it("slows an address guessing many accounts, more leniently", () => {
    const t = new LoginThrottle(() => 0);
    for (const user of ["a", "b", "c", "d"]) t.failed(user, "6.6.6.6");
    expect(t.retryAfterMs("zed", "6.6.6.6")).toBe(0); // colleagues behind one address still get in
    for (const user of ["e", "f", "g", "h", "i", "j"]) t.failed(user, "6.6.6.6");
    expect(t.retryAfterMs("zed", "6.6.6.6")).toBeGreaterThan(0);
    expect(t.retryAfterMs("zed", "7.7.7.7")).toBe(0);
  });

  it("forgets an account's failures from an address after a success there, and stale records after a while", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) t.failed("bob", "5.5.5.5");
    t.succeeded("bob", "5.5.5.5");
    expect(t.retryAfterMs("bob", "5.5.5.5")).toBe(0);
    for (let i = 0; i < 5; i++) t.failed("bob", "5.5.5.5");
    now += 16 * 60_000;
    expect(t.retryAfterMs("bob", "5.5.5.5")).toBe(0);
  });

  it("sweeps stale records once there are many, so made-up names cannot grow it without bound", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 10_001; i++) t.failed(`user-${i}`, "4.4.4.4");
    now += 16 * 60_000;
    t.failed("one-more", "3.3.3.3");
    expect((t as unknown as { records: Map<string, unknown> }).records.size).toBe(2);
  });
});
