import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon } from "../test-support/daemon-harness";
import { WEB_ORIGIN } from "../test-support/daemon-session";
import { bodyBound, madeUpPath } from "../test-support/fuzz-requests";
import { paddingChunks, rawRequest, type RawResult } from "../test-support/raw-http";
import { createHttpApp, type HttpDeps } from "./app";

const UPLOAD_MAX_MIB = 1;

function expectJsonError(r: RawResult, status: number, code?: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers["content-type"]).toMatch(/^application\/json/);
  expect(typeof r.json?.error?.message).toBe("string");
  expect(r.json.error.message.length).toBeGreaterThan(0);
  if (code) expect(r.json.error.code).toBe(code);
}

/** `n` bytes of spaces, in chunks of at most 64 KiB. */
function* spaces(n: number): Iterable<Buffer> {
  const chunk = Buffer.alloc(Math.min(64 * 1024, n), " ");
  for (let sent = 0; sent < n; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, n - sent));
}

describe("what a request may send: body bounds, content types, URLs, queries (real daemon)", () => {
  const daemon = new TestDaemon({ CORRAL_UPLOAD_MAX_MIB: String(UPLOAD_MAX_MIB) });
  const routes = createHttpApp(new Proxy({}, { get: () => ({}) }) as HttpDeps).routes;
  let admin: string;

  beforeAll(async () => {
    await daemon.start();
    admin = await daemon.admin();
  });
  afterAll(() => daemon.cleanup());

  const post = (path: string, headers: Record<string, string>, body: RawRequestBody, method = "POST") =>
    rawRequest({ port: daemon.port, method, path, headers: { origin: WEB_ORIGIN, ...headers }, body });
  type RawRequestBody = Parameters<typeof rawRequest>[0]["body"];

  it("refuses a body streaming past the bound before sign-in, answers 413 in JSON and closes the connection", async () => {
    // 4 GiB offered in 64 KiB chunks, no Content-Length: the daemon must stop reading early.
    const r = await post("/api/auth/login", { "content-type": "application/json" }, () => paddingChunks(65_536));
    expectJsonError(r, 413, "too-large");
    expect(r.headers.connection).toBe("close");
    expect(await r.closed).toBe(true);
    expect(r.bytesSent).toBeLessThan(64 * 1024 * 1024);
    expect((await fetch(`${daemon.url}/api/health`)).status).toBe(200);
  });

  it("refuses a declared Content-Length over the bound without reading the body", async () => {
    const r = await post(
      "/api/auth/login",
      { "content-type": "application/json", "content-length": String(600 * 1024 * 1024) },
      () => paddingChunks(9_600),
    );
    expectJsonError(r, 413, "too-large");
    expect(r.headers.connection).toBe("close");
    expect(await r.closed).toBe(true);
    expect(r.bytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it("gives every route a bound: one byte over it is 413, declared or streamed; a body at it is read", async () => {
    // (A route without options takes up to 64 bytes: an empty JSON object, as clients send.)
    // Guest routes act on a real (stopped) guest, so that the handler gets as far as reading.
    const guest = await daemon.createGuest("bound-probe");
    const failures: string[] = [];
    for (const route of routes) {
      const url = madeUpPath(route.path.replace(":id", route.path.startsWith("/api/guests/") ? guest.id : ":id"));
      const max = bodyBound(route, UPLOAD_MAX_MIB * 1024 * 1024);
      const type = route.body.kind === "stream" ? "application/octet-stream" : "application/json";
      const target = url + (route.body.kind === "stream" ? "?name=too-big" : "");
      const overBy1 = () => spaces(max + 1);
      for (const framing of ["declared", "streamed"] as const) {
        const headers: Record<string, string> = { cookie: admin, "content-type": type };
        if (framing === "declared") headers["content-length"] = String(max + 1);
        const over = await post(target, headers, overBy1, route.method);
        // A route only daemons may use, taking a body, refuses a person (403) before it reads a
        // byte of one of unknown length; those taking none refuse any body (413) first.
        const daemonsOnly = route.access === "fleet" || route.access === "daemon";
        if (daemonsOnly && framing === "streamed") {
          const want = route.body.kind === "json" ? 403 : 413;
          if (over.status !== want)
            failures.push(`${route.method} ${route.path}, streamed to a person → ${over.status}, not ${want}`);
          continue;
        }
        if (over.status !== 413 || over.json?.error?.code !== "too-large")
          failures.push(
            `${route.method} ${route.path}, ${max + 1} bytes ${framing} → ${over.status} ${over.text.slice(0, 200)}`,
          );
      }
      // A GET's body is never read (one is refused outright); an upload's is a file.
      if (route.body.kind === "stream" || route.method === "GET") continue;
      // Exactly at the bound: read, then refused as invalid (a made-up field), never 413.
      const probe = '{"x-not-a-field":1}';
      const at = await post(
        url,
        { cookie: admin, "content-type": type },
        probe + " ".repeat(max - probe.length),
        route.method,
      );
      if (at.status === 413 || at.status < 400 || at.status >= 500)
        failures.push(`${route.method} ${route.path} with ${max} bytes → ${at.status} ${at.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect((await daemon.guest(guest.id)).state).toBe("stopped");
  });

  it("keeps the upload's own streamed bound (CORRAL_UPLOAD_MAX_MIB)", async () => {
    const r = await post(
      "/api/images/upload?name=over-limit",
      { cookie: admin, "content-type": "application/octet-stream" },
      () => paddingChunks(64),
    );
    expectJsonError(r, 413, "too-large");
    expect(r.json.error.message).toMatch(/CORRAL_UPLOAD_MAX_MIB/);
    const images = await daemon.api<Array<{ name: string }>>("GET", "/api/images");
    expect(images.body.map((i) => i.name)).not.toContain("over-limit");
  });

  it("answers a 20 KB URL with 431 in Corral's JSON error shape", async () => {
    const r = await rawRequest({ port: daemon.port, method: "GET", path: `/api/guests?q=${"x".repeat(20_000)}` });
    expectJsonError(r, 431);
    expect(r.json.error.message).toMatch(/URL|header/i);
  });

  it("refuses a body that is not JSON on a JSON route with 415, and creates nothing", async () => {
    const body = JSON.stringify({ username: "plain-text", role: "developer", password: "plain-text-password" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", undefined]) {
      const r = await post("/api/users", type ? { cookie: admin, "content-type": type } : { cookie: admin }, body);
      expectJsonError(r, 415);
    }
    const users = await daemon.api<Array<{ username: string }>>("GET", "/api/users");
    expect(users.body.map((u) => u.username)).not.toContain("plain-text");
    // JSON with a charset, or a +json type, is JSON.
    const ok = await post("/api/users", { cookie: admin, "content-type": "application/json; charset=utf-8" }, body);
    expect(ok.status, ok.text).toBe(201);
  });

  it("refuses query parameters a route does not take, before acting", async () => {
    const guest = await daemon.createGuest("query-probe");
    const del = await daemon.api("DELETE", `/api/guests/${guest.id}?force=1`);
    expect(del.status).toBe(422);
    expect(del.body.error.message).toMatch(/query/i);
    expect((await daemon.api("GET", `/api/guests/${guest.id}`)).status).toBe(200);
    expect((await daemon.api("GET", "/api/audit?limit=5")).status).toBe(200);
    expect((await daemon.api("GET", "/api/audit?limit=5&sort=evil")).status).toBe(422);
  });
});
