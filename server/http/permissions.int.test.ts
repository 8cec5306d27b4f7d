import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents } from "../../lib/shared/protocol";
import { TestDaemon, waitFor, type TestSocket } from "../test-support/daemon-harness";
import { WEB_ORIGIN } from "../test-support/daemon-session";
import {
  CREDENTIALS,
  EXPECTED,
  expectedAllowed,
  fill,
  PROBES,
  WHO,
  type Credential,
  type Who,
} from "../test-support/permission-matrix";
import { createHttpApp, type HttpDeps } from "./app";
import { SOCKET_EVENTS } from "../realtime/socket-table";
import { OPENAPI_PATH, openApiPath } from "./openapi";

// Each route and event is tried with each person's session cookie, and with API tokens of
// both scopes, sent as a script sends them (Authorization: Bearer, no Origin).
describe("who may do what (real daemon, every route and socket event, cookies and tokens)", () => {
  const daemon = new TestDaemon();
  const session = {} as Record<Who, string>;
  const credentials = {} as Record<Credential, Record<Who, string>>;
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
    credentials.cookie = session;
    credentials["role token"] = {} as Record<Who, string>;
    credentials["read token"] = {} as Record<Who, string>;
    for (const who of WHO) {
      credentials["role token"][who] = await daemon.token("role", session[who]);
      credentials["read token"][who] = await daemon.token("read", session[who]);
    }
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

  it("serves an API document that names every route in the table, to anyone", async () => {
    type Doc = { paths: Record<string, Record<string, { "x-corral-permission": string }>> };
    const res = await daemon.api<Doc>("GET", OPENAPI_PATH, undefined, { as: null });
    expect(res.status).toBe(200);
    for (const r of routes)
      expect(res.body.paths[openApiPath(r.path).path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toMatchObject(
        {
          "x-corral-permission": r.access,
        },
      );
  });

  it.each(CREDENTIALS)(
    "allows and refuses each route per role and ownership (%s), and refuses everyone signed out",
    async (credential) => {
      const failures: string[] = [];
      for (const r of routes) {
        const probe = PROBES[`${r.method} ${r.path}`];
        const params = { ...(probe.guest ? { id: guests[probe.guest] } : {}), ...probe.params };
        const url = fill(r.path, params);
        for (const who of WHO) {
          // Signing out ends the session: each role signs out a fresh one.
          const as =
            r.path === "/api/auth/logout" && credential === "cookie"
              ? await freshSession(who)
              : credentials[credential][who];
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
          if (allowed !== expectedAllowed(r.access, who, credential, r.method))
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
    },
  );

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

  /** A role token is sent in the handshake's Authorization header, a read token in `auth` (as browsers must). */
  async function connect(as: string | null, credential: Credential = "cookie"): Promise<TestSocket> {
    if (credential === "role token")
      return io(daemon.url, { transports: ["websocket"], extraHeaders: { authorization: `Bearer ${as}` } });
    if (credential === "read token") return io(daemon.url, { transports: ["websocket"], auth: { token: as } });
    return io(daemon.url, {
      transports: ["websocket"],
      extraHeaders: { origin: WEB_ORIGIN, ...(as ? { cookie: as } : {}) },
    });
  }

  it.each(CREDENTIALS)(
    "allows and refuses each socket event per role and ownership (%s), and refuses a socket signed out",
    async (credential) => {
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
          const s = await connect(credentials[credential][who], credential);
          await waitFor("socket", () => s.connected, 30_000);
          // Console events act on an attachment: attach first (which may itself be refused).
          if (event.startsWith("console:") && event !== "console:attach")
            await s.emitWithAck("console:attach", { guestId });
          const payload = payloads[event];
          const reply = (await (payload === undefined
            ? s.emitWithAck(event as "guests:watch")
            : s.emitWithAck(event as "console:ack", payload as never))) as { ok: boolean; error?: string };
          const expected = expectedAllowed(SOCKET_EVENTS[event].access, who, credential, "socket");
          if (reply.ok !== expected) failures.push(`${who} ${event} → ${JSON.stringify(reply)}`);
          if (who === "devForeign" && event.startsWith("console:")) {
            // The same reply as for a guest that does not exist (see the routes above).
            const madeUp = { ...(payload as object), guestId: "nosuchguest0" };
            if (event !== "console:attach") await s.emitWithAck("console:attach", { guestId: "nosuchguest0" });
            const other = await s.emitWithAck(event as "console:ack", madeUp as never);
            if (JSON.stringify(other) !== JSON.stringify(reply))
              failures.push(
                `${who} ${event}: ${JSON.stringify(reply)} but for a made-up guest ${JSON.stringify(other)}`,
              );
          }
          s.close();
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
