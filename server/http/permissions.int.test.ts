import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents } from "../../lib/shared/protocol";
import { TestDaemon, waitFor, WEB_ORIGIN, type TestSocket } from "../test-support/daemon-harness";
import { createHttpApp, type HttpDeps } from "./app";
import { SOCKET_EVENTS } from "../realtime/socket-table";

type Who = "admin" | "manager" | "devOwn" | "devForeign";
const WHO: Who[] = ["admin", "manager", "devOwn", "devForeign"];

// The policy, written out independently of lib/permissions.ts so a mistake there fails here.
const Y = true;
const N = false;
const EXPECTED: Record<string, Record<Who, boolean>> = {
  public: { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  "signed-in": { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  "host.read": { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  // Developers reach the route; which images they may delete (their own) is image-quota.int.test.ts's.
  "images.delete": { admin: Y, manager: N, devOwn: Y, devForeign: Y },
  "images.manage": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "guests.list": { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  // Reaching the route; each guest is then checked on its own (guest-bulk.int.test.ts).
  "guests.bulk": { admin: Y, manager: N, devOwn: Y, devForeign: Y },
  "guest.create": { admin: Y, manager: N, devOwn: Y, devForeign: Y },
  "guest.read": { admin: Y, manager: Y, devOwn: Y, devForeign: N },
  "guest.control": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "guest.edit": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "guest.delete": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "guest.disk": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "console.watch": { admin: Y, manager: Y, devOwn: Y, devForeign: N },
  "console.type": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "metrics.read": { admin: Y, manager: Y, devOwn: N, devForeign: N },
  "users.manage": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "audit.read": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "host.diagnose": { admin: Y, manager: N, devOwn: N, devForeign: N },
};

/**
 * How to call each route so that an allowed call is harmless (it fails validation, finds
 * nothing, or is refused by the guest's state) while a refused one shows 401/403. A route
 * without a probe fails the test: a new route cannot slip by unchecked.
 */
const PROBES: Record<string, { guest?: "running" | "stopped"; body?: unknown; params?: Record<string, string> }> = {
  "POST /api/auth/login": { body: {} },
  "POST /api/auth/logout": {},
  "GET /api/auth/me": {},
  "POST /api/auth/password": { body: {} },
  "GET /api/users": {},
  "POST /api/users": { body: {} },
  "PATCH /api/users/:id": { body: { role: "nobody" }, params: { id: "nosuchuser" } },
  "POST /api/users/:id/password": { body: { password: "short" }, params: { id: "nosuchuser" } },
  "GET /api/audit": {},
  "GET /api/audit/verify": {},
  "POST /api/guests/:id/reset": { guest: "stopped", body: { stopFirst: "yes" } },
  "POST /api/guests/:id/clone": { guest: "stopped", body: { name: "-" } },
  "POST /api/guests/:id/commit": { guest: "stopped", body: { imageName: "-" } },
  "GET /api/guests/:id/snapshots": { guest: "stopped" },
  "POST /api/guests/:id/snapshots": { guest: "stopped", body: { name: "Not A Name" } },
  "POST /api/guests/:id/snapshots/:sid/revert": { guest: "stopped", params: { sid: "nosuchsnapshot" } },
  "DELETE /api/guests/:id/snapshots/:sid": { guest: "stopped", params: { sid: "nosuchsnapshot" } },
  "DELETE /api/images/:id": { params: { id: "nosuchimage" } },
  "POST /api/images/import": { body: { name: "Not A Name", path: "../x" } },
  "POST /api/images/upload": { params: {}, body: "" },
  "POST /api/images/debian": { body: { name: "Not A Name" } },
  "GET /api/images/builds": {},
  "GET /api/images/builds/:id": { params: { id: "nosuchbuild" } },
  "GET /api/images/builds/:id/log": { params: { id: "nosuchbuild" } },
  "POST /api/images/builds/:id/cancel": { params: { id: "nosuchbuild" } },
  "GET /api/host": {},
  "GET /api/host/event-loop": {},
  "POST /api/host/event-loop/reset": {},
  "GET /api/images": {},
  "GET /api/guests": {},
  "POST /api/guests": { body: {} },
  "POST /api/guests/bulk": { body: { action: "start", ids: [] } },
  "GET /api/guests/:id": { guest: "running" },
  "PATCH /api/guests/:id": { guest: "running", body: { memoryMiB: "lots" } },
  "DELETE /api/guests/:id": { guest: "running" },
  "POST /api/guests/:id/:action{start|stop|force-off|reboot}": { guest: "running", params: { action: "start" } },
  "GET /api/guests/:id/console": { guest: "running" },
  "GET /api/guests/:id/boots": { guest: "running" },
  "GET /api/guests/:id/boots/:n/log": { guest: "running", params: { n: "1" } },
  "GET /api/guests/:id/boots/:n/analysis": { guest: "running", params: { n: "1" } },
};

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name) => encodeURIComponent(params[name]));
}

describe("who may do what (real daemon, every route and socket event)", () => {
  const daemon = new TestDaemon();
  const session = {} as Record<Who | "dev2Login", string>;
  const guests = {} as Record<"running" | "stopped", string>;
  let routes: ReturnType<typeof createHttpApp>["routes"];

  beforeAll(async () => {
    await daemon.start();
    const dev1 = await daemon.userSession("dev-one", "developer");
    session.admin = await daemon.admin();
    session.manager = await daemon.userSession("the-manager", "manager");
    session.devOwn = dev1;
    session.devForeign = await daemon.userSession("dev-two", "developer");
    const image = await daemon.defaultImageId();
    for (const state of ["running", "stopped"] as const) {
      const r = await daemon.api(
        "POST",
        "/api/guests",
        { name: `owned-${state}`, imageId: image, memoryMiB: 48 },
        { as: dev1 },
      );
      guests[state] = r.body.id;
    }
    const start = await daemon.api("POST", `/api/guests/${guests.running}/start`, undefined, { as: dev1 });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    await daemon.waitForState(guests.running, "running");
    // The route table as the daemon builds it (no server needed to list routes).
    routes = createHttpApp(new Proxy({}, { get: () => ({}) }) as HttpDeps).routes;
  });
  afterAll(() => daemon.cleanup());

  it("has a probe and an expectation for every route Hono knows", () => {
    const { app } = createHttpApp(new Proxy({}, { get: () => ({}) }) as HttpDeps);
    const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const registered = app.routes.filter((r) => r.method !== "ALL" && r.path !== "/api/health");
    for (const r of registered)
      expect(known, `${r.method} ${r.path} bypasses the route table`).toContain(`${r.method} ${r.path}`);
    for (const r of routes) {
      expect(PROBES, `no probe for ${r.method} ${r.path}`).toHaveProperty([`${r.method} ${r.path}`]);
      expect(EXPECTED, `no expectation for ${r.access}`).toHaveProperty([r.access]);
    }
  });

  it("allows and refuses each route per role and ownership, and refuses everyone signed out", async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const probe = PROBES[`${r.method} ${r.path}`];
      const params = { ...(probe.guest ? { id: guests[probe.guest] } : {}), ...probe.params };
      const url = fill(r.path, params);
      for (const who of WHO) {
        // Signing out ends the session: each role signs out a fresh one.
        const as = r.path === "/api/auth/logout" ? await freshSession(who) : session[who];
        const res = await daemon.api(r.method, url, probe.body, { as });
        if (probe.guest && who === "devForeign" && !EXPECTED[r.access][who]) {
          // Another developer's guest is invisible, so it must be indistinguishable from one
          // that does not exist: the same 404 and message as a made-up id (a 403 would tell
          // them it exists). Managers, who may see every guest, still get 403 below.
          const madeUp = await daemon.api(r.method, fill(r.path, { ...params, id: "nosuchguest0" }), probe.body, {
            as,
          });
          if (res.status !== 404 || madeUp.status !== 404 || JSON.stringify(res.body) !== JSON.stringify(madeUp.body))
            failures.push(
              `${who} ${r.method} ${url} → ${res.status} ${JSON.stringify(res.body)}; made-up id → ${madeUp.status} ${JSON.stringify(madeUp.body)}`,
            );
          continue;
        }
        const allowed = res.status !== 401 && res.status !== 403;
        if (allowed !== EXPECTED[r.access][who])
          failures.push(`${who} ${r.method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
        if (!allowed && res.status !== 403)
          failures.push(`${who} ${r.method} ${url} refused with ${res.status}, not 403`);
      }
      if (r.access !== "public") {
        const anon = await daemon.api(r.method, url, probe.body, { as: null });
        if (anon.status !== 401) failures.push(`signed out ${r.method} ${url} → ${anon.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect((await daemon.guest(guests.running)).state).toBe("running"); // the probes harmed nothing
  });

  it("tells developers how many of their own guests use each image, not everyone's", async () => {
    const image = await daemon.defaultImageId();
    const count = async (who: Who) => {
      const r = await daemon.api<Array<{ id: string; guestCount: number }>>("GET", "/api/images", undefined, {
        as: session[who],
      });
      return r.body.find((i) => i.id === image)!.guestCount;
    };
    await daemon.api("POST", "/api/guests", { name: "admins-own", imageId: image, memoryMiB: 48 });
    expect(await count("devOwn")).toBe(2);
    expect(await count("devForeign")).toBe(0);
    expect(await count("admin")).toBeGreaterThanOrEqual(3);
    expect(await count("manager")).toBe(await count("admin"));
  });

  async function freshSession(who: Who): Promise<string> {
    const name = { admin: "admin", manager: "the-manager", devOwn: "dev-one", devForeign: "dev-two" }[who];
    return daemon.login(name, who === "admin" ? "test-admin-password" : `${name}-password-123`);
  }

  async function connect(cookie: string | null): Promise<TestSocket> {
    const s: TestSocket = io(daemon.url, {
      transports: ["websocket"],
      extraHeaders: { origin: WEB_ORIGIN, ...(cookie ? { cookie } : {}) },
    });
    return s;
  }

  it("allows and refuses each socket event per role and ownership, and refuses a socket signed out", async () => {
    const anon = await connect(null);
    const error = await new Promise<string>((resolve) => anon.once("connect_error", (e) => resolve(e.message)));
    expect(error).toMatch(/unauthenticated/);
    anon.close();

    const guestId = guests.running;
    const payloads: Record<keyof ClientToServerEvents, unknown> = {
      "guests:watch": undefined,
      "metrics:watch": undefined,
      "metrics:unwatch": undefined,
      "console:attach": { guestId },
      "console:ack": { guestId, seq: 0 },
      "console:detach": { guestId },
      "console:input": { guestId, data: "" },
      "console:resize": { guestId, cols: 80, rows: 24 },
      "console:take-control": { guestId },
      "images:watch": undefined,
    };
    const failures: string[] = [];
    for (const who of WHO) {
      for (const event of Object.keys(SOCKET_EVENTS) as Array<keyof ClientToServerEvents>) {
        if (event === "metrics:unwatch") continue; // no reply to observe; needs only a session
        const s = await connect(session[who]);
        await waitFor("socket", () => s.connected, 30_000);
        // Console events act on an attachment: attach first (which may itself be refused).
        if (event.startsWith("console:") && event !== "console:attach")
          await s.emitWithAck("console:attach", { guestId });
        const payload = payloads[event];
        const reply = (await (payload === undefined
          ? s.emitWithAck(event as "guests:watch")
          : s.emitWithAck(event as "console:ack", payload as never))) as { ok: boolean; error?: string };
        const expected = EXPECTED[SOCKET_EVENTS[event].access][who];
        if (reply.ok !== expected) failures.push(`${who} ${event} → ${JSON.stringify(reply)}`);
        if (who === "devForeign" && event.startsWith("console:")) {
          // The same reply as for a guest that does not exist (see the routes above).
          const madeUp = { ...(payload as object), guestId: "nosuchguest0" };
          if (event !== "console:attach") await s.emitWithAck("console:attach", { guestId: "nosuchguest0" });
          const other = await s.emitWithAck(event as "console:ack", madeUp as never);
          if (JSON.stringify(other) !== JSON.stringify(reply))
            failures.push(`${who} ${event}: ${JSON.stringify(reply)} but for a made-up guest ${JSON.stringify(other)}`);
        }
        s.close();
      }
    }
    expect(failures).toEqual([]);
  });
});
