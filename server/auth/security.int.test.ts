import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";
import { WEB_ORIGIN } from "../test-support/daemon-session";

describe("sign-in, sessions and request forgery (real daemon)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  it("issues a fresh session at sign-in and ignores any token the browser already had", async () => {
    const planted = "corral_session=attacker-chosen-token-value";
    const res = await fetch(`${daemon.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: WEB_ORIGIN, cookie: planted },
      body: JSON.stringify({ username: "admin", password: "test-admin-password" }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie()[0];
    expect(setCookie).toMatch(/^corral_session=/);
    expect(setCookie).not.toContain("attacker-chosen-token-value");
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect((await daemon.api("GET", "/api/auth/me", undefined, { as: planted })).status).toBe(401);
    expect((await daemon.api("GET", "/api/auth/me", undefined, { as: setCookie.split(";")[0] })).status).toBe(200);
  });

  it("refuses state-changing requests from another origin or none, before touching anything", async () => {
    const image = await daemon.defaultImageId();
    const body = { name: "csrf", imageId: image, memoryMiB: 48 };
    const foreign = await daemon.api("POST", "/api/guests", body, { origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/Cross-site request refused/);
    expect((await daemon.api("POST", "/api/guests", body, { origin: null })).status).toBe(403);
    expect(
      (
        await daemon.api(
          "POST",
          "/api/auth/login",
          { username: "admin", password: "x" },
          { origin: "http://evil.example", as: null },
        )
      ).status,
    ).toBe(403);
    const list = await daemon.api("GET", "/api/guests", undefined, { origin: null });
    expect(list.status).toBe(200);
    expect(list.body.map((g: { name: string }) => g.name)).not.toContain("csrf");
  });

  it("refuses a WebSocket from a page on another origin", async () => {
    const { io } = await import("socket.io-client");
    const s = io(daemon.url, {
      transports: ["websocket"],
      extraHeaders: { origin: "http://evil.example", cookie: await daemon.admin() },
    });
    const err = await new Promise<Error>((resolve) => s.once("connect_error", resolve));
    expect(err).toBeTruthy();
    expect(s.connected).toBe(false);
    s.close();
  });

  it("slows down repeated failures per account, and never shows or logs a password", async () => {
    const password = "correct-horse-battery-staple";
    const created = await daemon.api("POST", "/api/users", { username: "victim", role: "developer", password });
    expect(JSON.stringify(created.body)).not.toContain(password);
    expect(JSON.stringify(created.body)).not.toMatch(/argon2|passwordHash/);
    for (let i = 0; i < 3; i++) {
      const r = await daemon.api(
        "POST",
        "/api/auth/login",
        { username: "victim", password: `guess-${i}` },
        { as: null },
      );
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe("Wrong username or password.");
    }
    const slowed = await daemon.api("POST", "/api/auth/login", { username: "victim", password }, { as: null });
    expect(slowed.status).toBe(429);
    expect(slowed.body.error.message).toMatch(/Too many failed sign-ins. Try again in \d+ s/);
    const users = await daemon.api("GET", "/api/users");
    const audit = await daemon.api("GET", "/api/audit?limit=1000");
    for (const text of [JSON.stringify(users.body), JSON.stringify(audit.body), daemon.logText]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain("guess-1");
    }
  });

  it("ends every session and socket of a disabled user, and refuses their sign-in", async () => {
    const cookie = await daemon.userSession("leaver", "developer");
    const s = await daemon.socket(cookie);
    const users = await daemon.api("GET", "/api/users");
    const leaver = users.body.find((u: { username: string }) => u.username === "leaver");
    expect((await daemon.api("PATCH", `/api/users/${leaver.id}`, { disabled: true })).status).toBe(200);
    expect((await daemon.api("GET", "/api/guests", undefined, { as: cookie })).status).toBe(401);
    await waitFor("the socket to be dropped", () => !s.connected);
    const again = await daemon.api(
      "POST",
      "/api/auth/login",
      { username: "leaver", password: "leaver-password-123" },
      { as: null },
    );
    expect(again.status).toBe(403);
    expect(again.body.error.message).toMatch(/disabled/);
  });

  it("keeps at least one admin", async () => {
    const users = await daemon.api("GET", "/api/users");
    const admin = users.body.find((u: { username: string }) => u.username === "admin");
    const res = await daemon.api("PATCH", `/api/users/${admin.id}`, { role: "manager" });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/last enabled admin/);
  });

  it("signs out: the cookie is cleared and the session no longer works", async () => {
    const cookie = await daemon.userSession("brief", "manager");
    const res = await fetch(`${daemon.url}/api/auth/logout`, {
      method: "POST",
      headers: { origin: WEB_ORIGIN, cookie },
    });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()[0]).toMatch(/corral_session=;/);
    expect((await daemon.api("GET", "/api/auth/me", undefined, { as: cookie })).status).toBe(401);
  });
});
