import { describe, expect, it } from "vitest";
import { auditQueryFrom, localInputFromUtc, utcFromLocalInput } from "./audit-filter";

describe("audit filter", () => {
  it("reads datetime-local values as UTC and back", () => {
    expect(utcFromLocalInput("2026-11-29T10:05")).toBe("2026-11-29T10:05:00Z");
    expect(utcFromLocalInput("2026-11-29T10:05:07")).toBe("2026-11-29T10:05:07Z");
    expect(localInputFromUtc("2026-11-29T10:05:00Z")).toBe("2026-11-29T10:05");
    expect(localInputFromUtc(undefined)).toBe("");
  });

  it("drops blanks and builds the daemon's query with the default limit", () => {
    const r = auditQueryFrom({ actor: " ada ", action: "", outcome: "denied", since: "2026-11-29T10:00" });
    expect(r).toEqual({
      ok: true,
      filter: { actor: "ada", outcome: "denied", since: "2026-11-29T10:00:00Z" },
      query: "actor=ada&outcome=denied&since=2026-11-29T10%3A00%3A00Z&limit=200",
    });
  });

  it("says what is wrong", () => {
    const bad = auditQueryFrom({ outcome: "maybe" });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^outcome:/);
    const backwards = auditQueryFrom({ since: "2026-11-29T11:00", until: "2026-11-29T10:00" });
    expect(!backwards.ok && backwards.message).toMatch(/after/);
    const notTime = auditQueryFrom({ since: "yesterday" });
    expect(!notTime.ok && notTime.message).toMatch(/^since:/);
  });
});
