import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./throttle";

describe("LoginThrottle", () => {
  it("lets three failures through, then makes each next attempt wait twice as long", () => {
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

  it("slows an address guessing many accounts, and an account guessed from many addresses", () => {
    const t = new LoginThrottle(() => 0);
    for (const user of ["a", "b", "c", "d"]) t.failed(user, "6.6.6.6");
    expect(t.retryAfterMs("zed", "6.6.6.6")).toBeGreaterThan(0);
    for (const ip of ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]) t.failed("root", ip);
    expect(t.retryAfterMs("root", "9.9.9.9")).toBeGreaterThan(0);
  });

  it("forgets an account's failures after a success, and stale records after a while", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) t.failed("bob", "5.5.5.5");
    t.succeeded("bob");
    expect(t.retryAfterMs("bob", "7.7.7.7")).toBe(0);
    now += 16 * 60_000;
    expect(t.retryAfterMs("bob", "5.5.5.5")).toBe(0);
  });
});
