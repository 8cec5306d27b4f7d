import { describe, expect, it } from "vitest";
import { loginPath, safeNextPath, signedInUser, type SessionRow } from "./session-user";

const now = new Date("2026-11-29T12:00:00Z");
const row = (over: Partial<SessionRow["user"]> = {}, expiresAt = new Date("2026-11-29T13:00:00Z")): SessionRow => ({
  expiresAt,
  user: { id: "u1", username: "ada", displayName: "Ada", role: "developer", disabled: false, ...over },
});

describe("signedInUser", () => {
  it("signs in an active session's user", () => {
    expect(signedInUser(row(), now)).toEqual({ id: "u1", username: "ada", displayName: "Ada", role: "developer" });
  });
  it("refuses no session, an expired one, one expiring this instant", () => {
    expect(signedInUser(null, now)).toBeNull();
    expect(signedInUser(row({}, new Date("2026-11-29T11:59:59Z")), now)).toBeNull();
    expect(signedInUser(row({}, now), now)).toBeNull();
  });
  it("refuses a disabled user and an unknown role", () => {
    expect(signedInUser(row({ disabled: true }), now)).toBeNull();
    expect(signedInUser(row({ role: "root" }), now)).toBeNull();
  });
});

describe("safeNextPath", () => {
  it("keeps paths on this site, with their query", () => {
    expect(safeNextPath("/guests/abc?range=day")).toBe("/guests/abc?range=day");
    expect(safeNextPath("/")).toBe("/");
  });
  it("sends anything else home", () => {
    for (const bad of [null, undefined, "", "guests", "//evil.example", "/\\evil.example", "https://evil.example/"]) {
      expect(safeNextPath(bad)).toBe("/");
    }
    expect(safeNextPath("/a\nb")).toBe("/");
  });
  it("never comes back to the sign-in page", () => {
    expect(safeNextPath("/login")).toBe("/");
    expect(safeNextPath("/login?next=/x")).toBe("/");
  });
});

describe("loginPath", () => {
  it("carries the page to come back to", () => {
    expect(loginPath("/guests/a b")).toBe("/login?next=%2Fguests%2Fa%20b");
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("//evil")).toBe("/login");
  });
});
