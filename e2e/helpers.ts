import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

export async function createGuestViaApi(
  request: APIRequestContext,
  prefix: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; name: string }> {
  const images = await (await request.get("/api/images")).json();
  const name = `${prefix}-${Date.now().toString(36)}`;
  const res = await request.post("/api/guests", {
    data: { name, imageId: images.find((i: { builtIn: boolean }) => i.builtIn).id, memoryMiB: 64, ...extra },
  });
  expect(res.status()).toBe(201);
  return { id: (await res.json()).id, name };
}

export const screenOf = (page: Page) => page.getByTestId("console").locator(".xterm-rows");

export async function startGuest(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByTestId("guest-state")).toHaveText("running");
  await expect(screenOf(page)).toContainText(":/#");
}

export async function stopGuest(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop guest" }).click();
  await expect(page.getByTestId("guest-state")).toHaveText("stopped");
}

/** Types a command line into the guest's console, as a person would. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.getByTestId("console").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/** A fresh browser with nobody signed in, signed in as `username` through the sign-in page. */
export async function signIn(browser: Browser, username: string, password: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Guests", exact: true })).toBeVisible();
  return page;
}
