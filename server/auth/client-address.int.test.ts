import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon } from "../test-support/daemon-harness";
import { WEB_ORIGIN } from "../test-support/daemon-session";
import { rawRequest } from "../test-support/raw-http";

// Every test signs in from its own loopback source addresses (127.0.0.0/8 all reach the
// daemon), so the daemon sees real, distinct peers without any header.
describe("where a sign-in comes from, and throttling a stranger cannot turn against a user (real daemon)", () => {
  const daemon = new TestDaemon();
  beforeAll(async () => {
    await daemon.start();
    await daemon.api("POST", "/api/users", { username: "alice", role: "developer", password: "alice-password-123" });
    await daemon.api("POST", "/api/users", { username: "bob", role: "developer", password: "bob-password-1234" });
  });
  afterAll(() => daemon.cleanup());

  const signIn = (from: string, username: string, password: string, headers: Record<string, string> = {}) =>
    rawRequest({
      port: daemon.port,
      method: "POST",
      path: "/api/auth/login",
      localAddress: from,
      headers: { "content-type": "application/json", origin: WEB_ORIGIN, ...headers },
      body: JSON.stringify({ username, password }),
    });

  async function lastLogin(username: string): Promise<{ ip: string; outcome: string }> {
    const audit = await daemon.api<Array<{ target: string; ip: string; outcome: string }>>(
      "GET",
      "/api/audit?action=auth.login&limit=1000",
    );
    return audit.body.find((e) => e.target === username)!;
  }

  it("ignores a forged X-Forwarded-For: records the real peer and throttles by it", async () => {
    const r = await signIn("127.0.0.7", "ghost-0", "wrong-password", { "x-forwarded-for": "198.51.100.7" });
    expect(r.status).toBe(401);
    expect((await lastLogin("ghost-0")).ip).toBe("127.0.0.7");
    // Nine more failures, each claiming a new address, from the same real peer: the tenth
    // attempt from it is slowed down whatever it claims to be.
    for (let i = 1; i < 10; i++) {
      const f = await signIn("127.0.0.7", `ghost-${i}`, "wrong-password", { "x-forwarded-for": `198.51.100.${i + 7}` });
      expect(f.status).toBe(401);
    }
    const slowed = await signIn("127.0.0.7", "ghost-10", "wrong-password", { "x-forwarded-for": "203.0.113.1" });
    expect(slowed.status).toBe(429);
    expect(slowed.json.error.message).toMatch(/Too many failed sign-ins/);
    expect((await signIn("127.0.0.8", "ghost-11", "wrong-password")).status).toBe(401);
  });

  it("honours X-Forwarded-For only with the secret the daemon shares with Corral's web server", async () => {
    const file = path.join(daemon.dataDir, "relay-secret");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const secret = (await fs.readFile(file, "utf8")).trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const wrong = await signIn("127.0.0.9", "relay-wrong", "wrong-password", {
      "x-forwarded-for": "198.51.100.50",
      "x-corral-relay": "not-the-secret",
    });
    expect(wrong.status).toBe(401);
    expect((await lastLogin("relay-wrong")).ip).toBe("127.0.0.9");
    const relayed = await signIn("127.0.0.9", "relay-right", "wrong-password", {
      "x-forwarded-for": "198.51.100.51",
      "x-corral-relay": secret,
    });
    expect(relayed.status).toBe(401);
    expect((await lastLogin("relay-right")).ip).toBe("198.51.100.51");
    const audit = await daemon.api("GET", "/api/audit?limit=1000");
    expect(JSON.stringify(audit.body)).not.toContain(secret);
    expect(daemon.logText).not.toContain(secret);
  });

  it("lets a user in from a new address after failures for her account from six others", async () => {
    for (let i = 0; i < 6; i++) expect((await signIn(`127.0.0.${21 + i}`, "alice", `guess-${i}`)).status).toBe(401);
    const ok = await signIn("127.0.0.27", "alice", "alice-password-123");
    expect(ok.status, ok.text).toBe(200);
  });

  it("slows down guessing one account from one address without locking her out elsewhere", async () => {
    for (let i = 0; i < 3; i++) expect((await signIn("127.0.0.30", "bob", `guess-${i}`)).status).toBe(401);
    expect((await signIn("127.0.0.30", "bob", "bob-password-1234")).status).toBe(429);
    expect((await signIn("127.0.0.31", "bob", "bob-password-1234")).status).toBe(200);
  });
});
