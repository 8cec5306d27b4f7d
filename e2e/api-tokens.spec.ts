import { expect, test } from "./fixtures";
import { WEB_URL } from "./run-config";

// A person makes an API token on their account page and a script uses it through the web's
// /api relay (the Bearer header passed on; no cookie, no Origin); revoking it on the page
// stops the script at its next request.
test("an API token made on the account page works through the /api relay until revoked", async ({ page, request }) => {
  const name = `e2e-script-${Date.now().toString(36)}`;
  await page.goto("/account");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Scope").selectOption("role");
  await page.getByLabel("Expires").selectOption("7");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("one-time-token");
  await expect(shown).toHaveText(/^corral_/);
  const secret = (await shown.textContent())!.trim();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("your role");
  await expect(row).toContainText("never used");

  // A script: Node's fetch, nothing but the token.
  const asScript = (path: string, init: RequestInit = {}) =>
    fetch(`${WEB_URL}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${secret}` } });
  expect((await fetch(`${WEB_URL}/api/guests`)).status).toBe(401);
  const listed = await asScript("/api/guests");
  expect(listed.status).toBe(200);
  const images = (await (await asScript("/api/images")).json()) as Array<{ id: string; builtIn: boolean }>;
  const created = await asScript("/api/guests", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: `tok-${Date.now().toString(36)}`,
      imageId: images.find((i) => i.builtIn)!.id,
      memoryMiB: 48,
    }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const guest = (await created.json()) as { id: string };

  // The page shows its last use; the audit trail records the change with the token's id.
  await page.reload();
  await expect(page.getByRole("row", { name: new RegExp(name) })).not.toContainText("never used");
  const audit = (await (await request.get(`/api/audit?action=guest.create`)).json()) as Array<{
    target: string;
    detail: string;
  }>;
  expect(audit.find((e) => e.target === guest.id)?.detail).toMatch(/"token"/);

  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
  const refused = await asScript("/api/guests");
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
  expect((await request.delete(`/api/guests/${guest.id}`)).status()).toBe(204);
});

test("the API reference lists every route of the daemon's document, with its body's fields", async ({
  page,
  request,
}) => {
  const doc = (await (await request.get("/api/openapi.json")).json()) as { paths: Record<string, object> };
  const count = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
  await page.goto("/api-reference");
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  await expect(page.locator("details")).toHaveCount(count);
  const create = page.locator("details", {
    has: page.locator("summary", { hasText: /post\s*\/api\/account\/tokens/i }),
  });
  await create.locator("summary").click();
  const body = create.getByRole("region", { name: "Request body" });
  for (const field of ["name", "scope", "expiresAt"]) await expect(body).toContainText(field);
  await expect(body).toContainText('"role" | "read"');
});
