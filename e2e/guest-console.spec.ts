import { expect, test } from "./fixtures";

// What a person does on day one: create a guest, watch it boot, use its console, stop it,
// and read that boot's log.
test("create a guest, watch it boot, type into its console, stop it, read its boot log", async ({ page, request }) => {
  const { kernelVersion } = await (await request.get("/api/host")).json();
  const name = `e2e-${Date.now().toString(36)}`;

  await page.goto("/");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Memory (MiB)").fill("64");
  await page.getByRole("button", { name: "Create guest" }).click();
  await page.getByRole("link", { name, exact: true }).click();

  await expect(page.getByRole("heading", { name })).toBeVisible();
  const state = page.getByTestId("guest-state");
  await expect(state).toHaveText("stopped");
  await page.getByRole("button", { name: "Start" }).click();

  // The boot streams into the console live, and the state follows without a reload.
  const screen = page.getByTestId("console").locator(".xterm-rows");
  await expect(screen).toContainText("Run /sbin/init");
  await expect(state).toHaveText("running");
  await expect(screen).toContainText(":/#");

  await page.getByTestId("console").click();
  await page.keyboard.type("uname -r");
  await page.keyboard.press("Enter");
  await expect(screen).toContainText(kernelVersion);

  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop guest" }).click();
  await expect(state).toHaveText("stopped");
  await expect(screen).toContainText("Power down");

  await page.getByRole("link", { name: "View log" }).first().click();
  await expect(page.getByRole("heading", { name: `Boot 1 of ${name}` })).toBeVisible();
  const log = page.locator(".xterm-rows");
  await expect(log).toContainText(kernelVersion);
  await expect(log).toContainText("Power down");

  const castHref = await page.getByRole("link", { name: "Download .cast" }).getAttribute("href");
  const cast = await (await request.get(castHref!)).text();
  expect(JSON.parse(cast.split("\n")[0])).toMatchObject({ version: 2 });
  // Typed keys echo one event at a time in the cast; the text download is the output whole.
  const textHref = await page.getByRole("link", { name: "Download text" }).getAttribute("href");
  const text = await (await request.get(textHref!)).text();
  expect(text).toContain("uname -r");
  expect(text).toContain(kernelVersion);
});

test("the create form explains what is wrong before and after asking the daemon", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Name", { exact: true }).fill("Not A Name");
  await page.getByRole("button", { name: "Create guest" }).click();
  await expect(page.getByText(/lower-case letters/)).toBeVisible();

  const name = `dup-${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create guest" }).click();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create guest" }).click();
  await expect(page.getByText(/already exists/)).toBeVisible();
});
