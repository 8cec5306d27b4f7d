import { paddingChunks, rawRequest } from "../server/test-support/raw-http";
import { expect, test } from "./fixtures";
import { WEB_PORT, WEB_URL } from "./run-config";

// The web's /api relay bounds what it passes on, as the daemon does: a body over the
// largest any route takes is refused while it streams in, before the daemon sees it.
test("the /api relay refuses a body over its bound with 413 in JSON, declared or streamed", async () => {
  const send = (headers: Record<string, string>, body: Parameters<typeof rawRequest>[0]["body"]) =>
    rawRequest({
      port: WEB_PORT,
      method: "POST",
      path: "/api/auth/login",
      headers: { "content-type": "application/json", origin: WEB_URL, ...headers },
      body,
    });
  for (const r of [
    await send({}, () => paddingChunks(16_384)), // 1 GiB offered, chunked
    await send({ "content-length": String(300 * 1024 * 1024) }, () => paddingChunks(4_800)),
  ]) {
    expect(r.status, r.text).toBe(413);
    expect(r.json.error.code).toBe("too-large");
    expect(r.json.error.message).toMatch(/larger than Corral takes/);
    expect(r.bytesSent).toBeLessThan(256 * 1024 * 1024);
    expect(r.headers.connection).toBe("close");
    expect(await r.closed).toBe(true);
  }
  expect((await fetch(`${WEB_URL}/api/health`)).status).toBe(200);
});

test("a body that is not JSON is refused with 415 through the relay, in JSON", async ({ request }) => {
  const res = await request.post("/api/users", {
    headers: { "content-type": "text/plain" },
    data: JSON.stringify({ username: "plain", role: "developer" }),
  });
  expect(res.status()).toBe(415);
  expect((await res.json()).error.message).toMatch(/JSON/);
});

// A client reusing an idle connection just as the server closes it gets a reset instead of
// an answer (a test's PATCH did, 5 s after its last request, under Node's default). The
// web keeps idle connections longer than clients keep theirs, and says so.
test("the web keeps idle connections open for 65 s and says so", async () => {
  const r = await rawRequest({ port: WEB_PORT, method: "GET", path: "/api/health", headers: {} });
  expect(r.status).toBe(200);
  expect(r.headers["keep-alive"]).toBe("timeout=65");
});
