import { rawRequest } from "../server/test-support/raw-http";
import { expect, test } from "./fixtures";
import { WEB_PORT } from "./run-config";

// The audit trail records where requests came from, and sign-in throttling counts by it:
// a browser must not be able to name its own address.
test("the daemon records the browser's real address, not one the browser claims", async ({ request }) => {
  const username = `nobody-${Date.now().toString(36)}`;
  const res = await request.post("/api/auth/login", {
    data: { username, password: "wrong-password" },
    headers: { "x-forwarded-for": "203.0.113.66" },
  });
  expect(res.status()).toBe(401);
  const audit = await (await request.get(`/api/audit?action=auth.login&outcome=failed`)).json();
  const entry = audit.find((e: { target: string }) => e.target === username);
  expect(entry.ip).toBe("127.0.0.1");
});

// The daemon takes X-Forwarded-For only from Corral's own web server (the relay proves it
// with the secret the daemon wrote at start): a browser connecting from 127.0.0.5 is
// recorded as 127.0.0.5, not as the web server's own address.
test("the relay conveys the browser's address to the daemon", async ({ request }) => {
  const username = `far-away-${Date.now().toString(36)}`;
  const r = await rawRequest({
    port: WEB_PORT,
    method: "POST",
    path: "/api/auth/login",
    localAddress: "127.0.0.5",
    headers: { "content-type": "application/json", origin: `http://127.0.0.1:${WEB_PORT}` },
    body: JSON.stringify({ username, password: "wrong-password" }),
  });
  expect(r.status, r.text).toBe(401);
  const audit = await (await request.get(`/api/audit?action=auth.login&outcome=failed`)).json();
  expect(audit.find((e: { target: string }) => e.target === username).ip).toBe("127.0.0.5");
});
