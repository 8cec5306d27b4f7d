import { expect, test } from "./fixtures";

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
