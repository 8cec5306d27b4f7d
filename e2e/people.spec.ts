import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { io } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../lib/shared/protocol";
import { screenOf, signIn, startGuest, typeLine } from "./helpers";
import { DAEMON_URL, WEB_URL } from "./run-config";

// Issue 4's end-to-end story: an admin creates a developer, who signs in, creates a guest
// and uses its console; a second developer can neither see nor open it; a manager sees it
// and its console but cannot type into it.

/** Fills the Users page's create form; returns the password shown once, if one was generated. */
async function createUser(page: Page, username: string, role: string, password?: string): Promise<string> {
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByLabel("Password", { exact: true }).fill(password ?? "");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("row", { name: new RegExp(username) })).toBeVisible();
  if (password) return password;
  const shown = page.getByTestId("one-time-password");
  await expect(shown).not.toBeEmpty();
  const generated = (await shown.textContent())!.trim();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(shown).toHaveCount(0);
  return generated;
}

/** The whole terminal buffer, scrollback included. */
const consoleText = (page: Page) =>
  page.getByTestId("console").evaluate((el) => (el as HTMLElement & { corralText: () => string }).corralText());

/** Attaches to a console over socket.io with `page`'s session, and tries to type and take control. */
async function tryConsoleAsSocket(page: Page, guestId: string) {
  const session = (await page.context().cookies()).find((c) => c.name === "corral_session");
  const socket: import("socket.io-client").Socket<ServerToClientEvents, ClientToServerEvents> = io(DAEMON_URL, {
    transports: ["websocket"],
    extraHeaders: { cookie: `corral_session=${session?.value}`, origin: WEB_URL },
  });
  try {
    const attach = await socket.timeout(10_000).emitWithAck("console:attach", { guestId });
    if (!attach.ok) return { attach };
    const input = await socket.timeout(10_000).emitWithAck("console:input", { guestId, data: "echo SOCKET-SNEAK\r" });
    const control = await socket.timeout(10_000).emitWithAck("console:take-control", { guestId });
    return { attach, input, control };
  } finally {
    socket.close();
  }
}

test("an admin creates a developer, who owns a guest that others can only see as their role allows", async ({
  page: admin,
  browser,
  request,
}) => {
  const { kernelVersion } = await (await request.get("/api/host")).json();
  const tag = Date.now().toString(36);
  const [devName, otherName, managerName] = [`dev-${tag}`, `other-${tag}`, `mgr-${tag}`];

  // The admin creates the three accounts on the Users page; the first gets a generated password.
  await admin.goto("/users");
  await expect(admin.getByRole("heading", { name: "Users", exact: true })).toBeVisible();
  const devPassword = await createUser(admin, devName, "developer");
  const otherPassword = await createUser(admin, otherName, "developer", "other-password-1");
  const managerPassword = await createUser(admin, managerName, "manager", "manager-password-1");
  await expect(admin.getByRole("row", { name: new RegExp(managerName) }).getByLabel(/^Role of/)).toHaveValue("manager");

  // The developer signs in, sees only what a developer may, and creates a guest within their quota.
  const dev = await signIn(browser, devName, devPassword);
  await expect(dev.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(dev.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await expect(dev.getByRole("link", { name: "Consolidation" })).toHaveCount(0);
  await expect(dev.getByRole("meter", { name: "Guests" })).toHaveAttribute("aria-valuenow", "0");
  const guestName = `owned-${tag}`;
  await dev.getByLabel("Name", { exact: true }).fill(guestName);
  await dev.getByLabel("Memory (MiB)").fill("64");
  await dev.getByRole("button", { name: "Create guest" }).click();
  await expect(dev.getByRole("meter", { name: "Guests" })).toHaveAttribute("aria-valuenow", "1");
  await dev.getByRole("link", { name: guestName, exact: true }).click();
  await expect(dev.getByRole("heading", { name: guestName })).toBeVisible();
  const guestId = dev.url().split("/guests/")[1];
  await startGuest(dev);
  await typeLine(dev, "uname -r");
  await expect(screenOf(dev)).toContainText(kernelVersion);

  // A second developer neither sees it in the list nor opens it, in the page, the API or the socket.
  const other = await signIn(browser, otherName, otherPassword);
  await expect(other.getByRole("link", { name: guestName })).toHaveCount(0);
  const page404 = await other.goto(`/guests/${guestId}`);
  expect(page404?.status()).toBe(404);
  await expect(other.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect([403, 404]).toContain((await other.request.get(`/api/guests/${guestId}`)).status());
  expect([403, 404]).toContain((await other.request.post(`/api/guests/${guestId}/stop`)).status());
  expect((await tryConsoleAsSocket(other, guestId)).attach.ok).toBe(false);

  // A manager sees the guest with its owner and watches its console, but has nothing to type with.
  const manager = await signIn(browser, managerName, managerPassword);
  await expect(manager.getByRole("link", { name: "Consolidation" })).toBeVisible();
  await expect(manager.getByRole("button", { name: "Create guest" })).toHaveCount(0);
  await expect(manager.getByRole("row", { name: new RegExp(guestName) })).toContainText(devName);
  await manager.getByRole("link", { name: guestName, exact: true }).click();
  await expect(screenOf(manager)).toContainText(kernelVersion);
  await expect(manager.getByText("read-only")).toBeVisible();
  await expect(manager.getByRole("button", { name: "Take control" })).toHaveCount(0);
  await expect(manager.getByRole("group", { name: `Actions for ${guestName}` })).toHaveCount(0);
  await expect(manager.getByRole("button", { name: "Reset to pristine" })).toHaveCount(0);
  await typeLine(manager, "echo MANAGER-TYPED");
  // The daemon refuses the manager's input and take-control too, not just the page.
  const asSocket = await tryConsoleAsSocket(manager, guestId);
  expect(asSocket.attach.ok).toBe(true);
  expect(asSocket.input?.ok).toBe(false);
  expect(asSocket.control?.ok).toBe(false);
  expect((await manager.request.post(`/api/guests/${guestId}/stop`)).status()).toBe(403);

  // The developer's next line arrives at both consoles; nothing the manager typed ever did.
  await typeLine(dev, "echo DEV-$((40+2))");
  await expect(screenOf(dev)).toContainText("DEV-42");
  await expect(screenOf(manager)).toContainText("DEV-42");
  expect(await consoleText(dev)).not.toContain("MANAGER-TYPED");
  expect(await consoleText(dev)).not.toContain("SOCKET-SNEAK");

  await request.post(`/api/guests/${guestId}/force-off`);
  for (const p of [dev, other, manager]) await p.context().close();
});

test("sign-in says what is wrong; sign-out ends the session", async ({ browser, request }) => {
  const tag = Date.now().toString(36);
  const username = `eve-${tag}`;
  const created = await request.post("/api/users", {
    data: { username, role: "developer", password: "eve-password-1" },
  });
  expect(created.status()).toBe(201);
  const { user } = await created.json();

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`/guests/${encodeURIComponent("x")}`);
  await expect(page).toHaveURL(/\/login\?next=%2Fguests%2Fx$/);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your username.")).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong username or password" })).toBeVisible();

  // Signed in, the page asked for first follows; signing out ends the session for the server too.
  await page.getByLabel("Password", { exact: true }).fill("eve-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);

  // A disabled account is refused with the reason.
  expect((await request.patch(`/api/users/${user.id}`, { data: { disabled: true } })).status()).toBe(200);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("eve-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /disabled/i })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});

test("the admin filters the audit trail and verifies its chain", async ({ page, request }) => {
  const username = `aud-${Date.now().toString(36)}`;
  expect((await request.post("/api/users", { data: { username, role: "manager" } })).status()).toBe(201);
  await page.goto("/audit");
  await page.getByLabel("Action").fill("user.create");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user.create/);
  const row = page.getByRole("row", { name: new RegExp(username) });
  await expect(row).toContainText("admin");
  await expect(row).toContainText("ok");
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Chain intact" })).toBeVisible();
});
