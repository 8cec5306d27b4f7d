import { describe, expect, it } from "vitest";
import { hostReachable, MISSED_HEARTBEATS } from "./host-reach";

describe("a host's reach", () => {
  const at = new Date("2026-12-01T00:00:00.000Z");
  const seen = (msAgo: number, heartbeatSeconds = 10) => ({
    lastSeenAt: new Date(at.getTime() - msAgo),
    heartbeatSeconds,
  });

  it("is unreachable only once three of its own heartbeats are missed", () => {
    expect(MISSED_HEARTBEATS).toBe(3);
    expect(hostReachable(seen(0), at)).toBe(true);
    expect(hostReachable(seen(30_000), at)).toBe(true);
    expect(hostReachable(seen(30_001), at)).toBe(false);
    expect(hostReachable(seen(3_001, 1), at)).toBe(false);
    expect(hostReachable(seen(3_000, 1), at)).toBe(true);
  });
});
