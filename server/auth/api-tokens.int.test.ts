import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiTokenListView, AuditEntryView, CreatedTokenView } from "../../lib/shared/protocol";
import { TestDaemon, waitFor, type TestSocket } from "../test-support/daemon-harness";

// API tokens against a real daemon: what each scope may do, expiry, revocation, a disabled
// person, the audit trail, and sockets opened with a token. The permission matrix runs with
// tokens too (server/http/permissions.int.test.ts).
describe("API tokens", () => {
  const daemon = new TestDaemon();
  let dev: string;

  beforeAll(async () => {
    await daemon.start();
    dev = await daemon.userSession("token-dev", "developer");
  });
  afterAll(() => daemon.cleanup());

  const create = (body: unknown, as = dev) => daemon.api<CreatedTokenView>("POST", "/api/account/tokens", body, { as });
  const list = async (as = dev) =>
    (await daemon.api<ApiTokenListView>("GET", "/api/account/tokens", undefined, { as })).body;
  const audit = async (action: string) =>
    (await daemon.api<AuditEntryView[]>("GET", `/api/audit?action=${action}`)).body;

  it("shows the secret once, stores only its hash, and lists tokens without secrets", async () => {
    const r = await create({ name: "ci deploys", scope: "role", expiresAt: null });
    expect(r.status).toBe(201);
    const { token, secret } = r.body;
    expect(secret).toMatch(/^corral_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: "ci deploys", scope: "role", expiresAt: null, lastUsedAt: null });
    const listed = await list();
    expect(listed.tokens.map((t) => t.id)).toContain(token.id);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(7));
    const db = daemon.openDb();
    const rows = await db.apiToken.findMany().finally(() => db.$disconnect());
    expect(JSON.stringify(rows)).not.toContain(secret.slice(7));
    // Another person's list does not show it.
    expect((await list(await daemon.admin())).tokens.map((t) => t.id)).not.toContain(token.id);
  });

  it("refuses bad input and creates nothing", async () => {
    const before = (await list()).tokens.length;
    for (const body of [
      { name: "", scope: "role", expiresAt: null },
      { name: "x".repeat(65), scope: "role", expiresAt: null },
      { name: "x", scope: "write", expiresAt: null },
      { name: "x", scope: "read", expiresAt: "2001-01-01T00:00:00Z" },
      { name: "x", scope: "read", expiresAt: "tomorrow" },
      { name: "x", scope: "read" },
      { name: "x", scope: "read", expiresAt: null, secret: "corral_mine" },
    ]) {
      const r = await create(body);
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    const taken = await create({ name: "twice", scope: "read", expiresAt: null });
    expect(taken.status).toBe(201);
    expect((await create({ name: "twice", scope: "read", expiresAt: null })).status).toBe(409);
    expect((await list()).tokens.length).toBe(before + 1);
  });

  it("acts as the person with their role, without an Origin, and audits each change with the token's id", async () => {
    const { body } = await create({ name: "script", scope: "role", expiresAt: null });
    const image = await daemon.defaultImageId();
    const made = await daemon.api(
      "POST",
      "/api/guests",
      { name: "by-token", imageId: image, memoryMiB: 48 },
      { as: body.secret },
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.ownerId).toBe((await daemon.api("GET", "/api/auth/me", undefined, { as: dev })).body.user.id);
    // Still a developer: another role's routes stay closed.
    expect((await daemon.api("GET", "/api/users", undefined, { as: body.secret })).status).toBe(403);
    const entry = (await audit("guest.create")).find((e) => e.target === made.body.id)!;
    expect(entry).toMatchObject({ actor: "token-dev", outcome: "ok" });
    expect(JSON.parse(entry.detail!)).toMatchObject({ token: body.token.id });
    // First use: recorded once, and shown as its last use.
    const uses = (await audit("token.use")).filter((e) => e.target === body.token.id);
    expect(uses).toHaveLength(1);
    expect((await list()).tokens.find((t) => t.id === body.token.id)!.lastUsedAt).not.toBeNull();
  });

  it("lets a read-only token read but change nothing", async () => {
    const { body } = await create({ name: "dashboards", scope: "read", expiresAt: null });
    expect((await daemon.api("GET", "/api/guests", undefined, { as: body.secret })).status).toBe(200);
    const image = await daemon.defaultImageId();
    const r = await daemon.api(
      "POST",
      "/api/guests",
      { name: "by-reader", imageId: image, memoryMiB: 48 },
      { as: body.secret },
    );
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/read-only/);
    const created = await create({ name: "escalate", scope: "role", expiresAt: null }, body.secret);
    expect(created.status).toBe(403);
    const guests = (await daemon.api<Array<{ name: string }>>("GET", "/api/guests", undefined, { as: dev })).body;
    expect(guests.map((g) => g.name)).not.toContain("by-reader");
    const denied = (await audit("guest.create")).find((e) => e.outcome === "denied" && e.actor === "token-dev")!;
    expect(JSON.parse(denied.detail!)).toMatchObject({ token: body.token.id });
  });

  it("stops working when it expires", async () => {
    const expiresAt = new Date(Date.now() + 2000).toISOString();
    const { body } = await create({ name: "short", scope: "read", expiresAt });
    expect((await daemon.api("GET", "/api/auth/me", undefined, { as: body.secret })).status).toBe(200);
    await waitFor("the expiry to pass", () => Date.now() > Date.parse(expiresAt) + 50, 10_000);
    const r = await daemon.api("GET", "/api/auth/me", undefined, { as: body.secret });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/expired/);
    expect((await audit("token.use")).find((e) => e.target === body.token.id && e.outcome === "denied")).toBeTruthy();
  });

  it("stops working at once when revoked; only its owner may revoke it", async () => {
    const { body } = await create({ name: "revoke me", scope: "role", expiresAt: null });
    const admin = await daemon.admin();
    expect((await daemon.api("DELETE", `/api/account/tokens/${body.token.id}`, undefined, { as: admin })).status).toBe(
      404,
    );
    expect((await daemon.api("GET", "/api/auth/me", undefined, { as: body.secret })).status).toBe(200);
    expect((await daemon.api("DELETE", `/api/account/tokens/${body.token.id}`, undefined, { as: dev })).status).toBe(
      204,
    );
    const r = await daemon.api("GET", "/api/auth/me", undefined, { as: body.secret });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/revoked/);
    expect((await daemon.api("DELETE", `/api/account/tokens/${body.token.id}`, undefined, { as: dev })).status).toBe(
      404,
    );
    const revoked = (await audit("token.revoke")).filter((e) => e.target === body.token.id);
    expect(revoked.map((e) => `${e.actor} ${e.outcome}`).sort()).toEqual([
      "admin failed",
      "token-dev failed",
      "token-dev ok",
    ]);
  });

  it("is refused, not passed over for the cookie, when it does not sign anyone in", async () => {
    const res = await fetch(`${daemon.url}/api/auth/me`, {
      headers: { cookie: dev, authorization: "Bearer corral_nosuchtoken" },
    });
    expect(res.status).toBe(401);
    expect((await fetch(`${daemon.url}/api/auth/me`, { headers: { authorization: "Bearer sometoken" } })).status).toBe(
      401,
    );
  });

  it("stops working at once for a disabled person, and again when re-enabled", async () => {
    const cookie = await daemon.userSession("token-disabled", "developer");
    const secret = await daemon.token("role", cookie);
    const me = await daemon.api("GET", "/api/auth/me", undefined, { as: secret });
    expect(me.status).toBe(200);
    const socket = await daemon.socket(secret);
    const gone = new Promise((r) => socket.once("disconnect", r));
    await daemon.api("PATCH", `/api/users/${me.body.user.id}`, { disabled: true });
    const r = await daemon.api("GET", "/api/auth/me", undefined, { as: secret });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/disabled/);
    await gone;
    await daemon.api("PATCH", `/api/users/${me.body.user.id}`, { disabled: false });
    expect((await daemon.api("GET", "/api/auth/me", undefined, { as: secret })).status).toBe(200);
  });

  it("opens sockets by header or auth, refuses bad ones with the reason, and closes them on revoke and expiry", async () => {
    const { body } = await create({ name: "console", scope: "role", expiresAt: null });
    const byAuth: TestSocket = io(daemon.url, { transports: ["websocket"], auth: { token: body.secret } });
    await waitFor("socket to connect", () => byAuth.connected, 30_000);
    expect((await byAuth.emitWithAck("guests:watch")).ok).toBe(true);
    const byHeader = await daemon.socket(body.secret);
    const closed = Promise.all([byAuth, byHeader].map((s) => new Promise((r) => s.once("disconnect", r))));
    await daemon.api("DELETE", `/api/account/tokens/${body.token.id}`, undefined, { as: dev });
    await closed;
    byAuth.close();

    const refused: TestSocket = io(daemon.url, { transports: ["websocket"], auth: { token: body.secret } });
    const error = await new Promise<string>((r) => refused.once("connect_error", (e) => r(e.message)));
    refused.close();
    expect(error).toMatch(/unauthenticated: .*revoked/);

    const short = await create({
      name: "short socket",
      scope: "read",
      expiresAt: new Date(Date.now() + 3000).toISOString(),
    });
    const expiring = await daemon.socket(short.body.secret);
    await new Promise((r) => expiring.once("disconnect", r));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(short.body.token.expiresAt!));
  });
});
