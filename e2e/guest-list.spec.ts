import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createGuestViaApi } from "./helpers";

// What an admin with many guests does: search the list, page through it (the URL keeps the
// place, the back button returns), select guests and start, stop and delete them at once,
// reading what happened to each.

const rowOf = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
const stateOf = (page: Page, name: string) => rowOf(page, name).locator("[data-state]");
const results = (page: Page) => page.getByTestId("bulk-results");

test("search, page, and start, stop and delete several guests at once with per-guest results", async ({
  page,
  request,
}) => {
  const images = (await (await request.get("/api/images")).json()) as Array<{ id: string; builtIn: boolean }>;
  const tag = `bulk-${Date.now().toString(36)}`;
  const names = [0, 1, 2, 3].map((i) => `${tag}-${i}`);
  for (const name of names) {
    const res = await request.post("/api/guests", {
      data: { name, imageId: images.find((i) => i.builtIn)!.id, memoryMiB: 48 },
    });
    expect(res.status()).toBe(201);
  }

  // Search from the list's own form: the URL says what is shown.
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Search" }).fill(tag);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`\\?q=${tag}$`));
  await expect(page.getByTestId("guest-list-range")).toHaveText("Showing 1–4 of 4");
  await expect(page.getByRole("heading", { name: "Guests", exact: true })).toBeVisible();

  // Each guest names its host; the host filter keeps the search, and the Hosts page lists it up.
  const [host] = (await (await request.get("/api/hosts")).json()) as Array<{ name: string }>;
  await expect(rowOf(page, names[0]).getByTestId("guest-host")).toHaveText(host.name);
  await page.getByLabel("Host", { exact: true }).selectOption(host.name);
  await expect(page).toHaveURL(new RegExp(`\\?q=${tag}&host=${encodeURIComponent(host.name)}$`));
  await expect(page.getByTestId("guest-list-range")).toHaveText("Showing 1–4 of 4");
  await page.goto("/hosts");
  await expect(page.locator(`[data-host="${host.name}"]`).getByTestId("host-status")).toHaveText("up");

  // Two per page, newest name first: page 1, then 2, then back.
  await page.goto(`/?q=${tag}&sort=name&dir=desc&per=2`);
  await expect(page.getByTestId("guest-list-range")).toHaveText("Showing 1–2 of 4 · page 1 of 2");
  await expect(rowOf(page, names[3])).toBeVisible();
  await expect(rowOf(page, names[0])).toHaveCount(0);
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId("guest-list-range")).toHaveText("Showing 3–4 of 4 · page 2 of 2");
  await expect(rowOf(page, names[0])).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("guest-list-range")).toHaveText("Showing 1–2 of 4 · page 1 of 2");

  // Start two guests on this page (names 3 and 2); each goes to running live.
  await page.goto(`/?q=${tag}&per=25`);
  await rowOf(page, names[2]).getByRole("checkbox").check();
  await rowOf(page, names[3]).getByRole("checkbox").check();
  await expect(page.getByTestId("bulk-count")).toHaveText("2 guests selected");
  await page
    .getByRole("toolbar", { name: "Actions for the selected guests" })
    .getByRole("button", { name: "Start" })
    .click();
  await expect(results(page).getByRole("status")).toHaveText("Start: 2 succeeded, 0 refused.");
  await expect(stateOf(page, names[2])).toHaveText("running");
  await expect(stateOf(page, names[3])).toHaveText("running");

  // Stop three: the two running stop, the stopped one is refused with its reason.
  await rowOf(page, names[1]).getByRole("checkbox").check();
  const toolbar = page.getByRole("toolbar", { name: "Actions for the selected guests" });
  await toolbar.getByRole("button", { name: "Stop" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop 3 guests" }).click();
  await expect(results(page).getByRole("status")).toHaveText("Stop: 2 succeeded, 1 refused.");
  const refusal = results(page).locator(`li[data-ok="false"]`);
  await expect(refusal).toHaveCount(1);
  await expect(refusal).toContainText(`${names[1]} refused: The guest is stopped; there is nothing to stop.`);
  await expect(stateOf(page, names[2])).toHaveText("stopped");
  await expect(stateOf(page, names[3])).toHaveText("stopped");

  // Delete every guest the filter shows, from a page that shows two of them.
  await page.goto(`/?q=${tag}&per=2`);
  await page.getByRole("checkbox", { name: "Select every guest on this page" }).check();
  await page.getByRole("button", { name: "Select all 4 guests that this filter shows" }).click();
  await expect(page.getByTestId("bulk-count")).toHaveText("4 guests selected");
  await toolbar.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm.getByRole("heading")).toHaveText("Delete 4 guests?");
  await confirm.getByRole("button", { name: "Delete 4 guests" }).click();
  await expect(results(page).getByRole("status")).toHaveText("Delete: 4 succeeded, 0 refused.");
  await expect(page.getByTestId("guest-list-range")).toHaveText("No guests match.");
  const left = (await (await request.get(`/api/guests?q=${tag}`)).json()) as unknown[];
  expect(left).toEqual([]);
});

test("a row offers its guest's main command as a button and the rest in a menu", async ({ page, request }) => {
  const { name } = await createGuestViaApi(request, "row-menu");
  await page.goto(`/?q=${name}`);
  const row = rowOf(page, name);
  const more = row.getByRole("button", { name: `More actions for ${name}` });
  const menu = page.getByRole("menu", { name: `More actions for ${name}` });
  // Closed, the menu's commands are not in the page at all.
  await expect(row.getByRole("button")).toHaveText(["Start", ""]);
  await expect(page.getByRole("menuitem")).toHaveCount(0);

  await row.getByRole("button", { name: "Start", exact: true }).click();
  await expect(stateOf(page, name)).toHaveText("running");
  await expect(row.getByRole("button", { name: "Stop", exact: true })).toBeEnabled();

  // By keyboard: ArrowDown opens it on the first command that can run, Escape gives focus back.
  await more.focus();
  await more.press("ArrowDown");
  await expect(more).toHaveAttribute("aria-expanded", "true");
  await expect(menu.getByRole("menuitem")).toHaveText(["Start", "Force off", "Reboot", "Delete"]);
  await expect(menu.getByRole("menuitem", { name: "Start" })).toBeDisabled();
  await expect(menu.getByRole("menuitem", { name: "Delete" })).toBeDisabled();
  await expect(menu.getByRole("menuitem", { name: "Force off" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Reboot" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Force off" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();

  // A click elsewhere closes it; a command from it asks first, as the guest page does.
  await more.click();
  await expect(menu).toBeVisible();
  await page.getByRole("heading", { name: "Guests", exact: true }).click();
  await expect(menu).toHaveCount(0);
  await more.click();
  await menu.getByRole("menuitem", { name: "Force off" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Force off" }).click();
  await expect(stateOf(page, name)).toHaveText("stopped");
  await more.click();
  await menu.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete guest" }).click();
  await expect(row).toHaveCount(0);
  expect((await request.get(`/api/guests?q=${name}`)).ok()).toBe(true);
  expect(await (await request.get(`/api/guests?q=${name}`)).json()).toEqual([]);
});
