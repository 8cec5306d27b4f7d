import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon } from "../test-support/daemon-harness";

describe("unique names under a race (real daemon)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  it("ten parallel creations of one username: one 201, nine 409 naming what is taken", async () => {
    const body = { username: "twin", role: "developer", password: "twin-password-123" };
    const results = await Promise.all(Array.from({ length: 10 }, () => daemon.api("POST", "/api/users", body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((r) => r.status === 409)) {
      expect(r.body.error.code).toBe("conflict");
      // The losers of the race get the database's answer, mapped centrally: still about the username.
      expect(r.body.error.message).toMatch(/user.*(username|"twin")/i);
    }
    const users = await daemon.api<Array<{ username: string }>>("GET", "/api/users");
    expect(users.body.filter((u) => u.username === "twin")).toHaveLength(1);
  });

  it("ten parallel creations of one guest name: one 201, nine 409", async () => {
    const imageId = await daemon.defaultImageId();
    const body = { name: "twin-guest", imageId, memoryMiB: 48, network: "none" };
    const results = await Promise.all(Array.from({ length: 10 }, () => daemon.api("POST", "/api/guests", body)));
    expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([
      201,
      ...Array(9).fill(409),
    ]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.message).toMatch(/twin-guest|name/);
  });
});
