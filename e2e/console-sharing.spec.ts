import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createGuestViaApi, screenOf, startGuest, typeLine } from "./helpers";

/** Everything in the browser's terminal, scrollback included. */
const consoleText = (page: Page) =>
  page.getByTestId("console").evaluate((el) => (el as HTMLElement & { corralText: () => string }).corralText());

test("two browsers share a console: both see the typing, the second takes control", async ({ browser, request }) => {
  const guest = await createGuestViaApi(request, "shared");
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  await alice.goto(`/guests/${guest.id}`);
  await startGuest(alice);
  await bob.goto(`/guests/${guest.id}`);
  await expect(screenOf(bob)).toContainText(":/#");

  // alice opened the console first, so she types; bob watches and sees it happen.
  await expect(alice.getByTestId("console-writer")).toContainText("(you)");
  await expect(bob.getByTestId("console-watchers")).toContainText("(you)");
  await typeLine(alice, "echo FROM-ALICE-$((40+2))");
  await expect(screenOf(alice)).toContainText("FROM-ALICE-42");
  await expect(screenOf(bob)).toContainText("FROM-ALICE-42");

  // bob's keys are refused until he takes control.
  await typeLine(bob, "echo BOB-SNEAKS-IN");
  await expect(bob.getByRole("alert").filter({ hasText: "Take control to type" })).toBeVisible();
  await bob.getByRole("button", { name: "Take control" }).click();
  await expect(bob.getByTestId("console-writer")).toContainText("(you)");
  await expect(alice.getByRole("alert").filter({ hasText: "took control" })).toBeVisible();
  await typeLine(bob, "echo FROM-BOB-$((6*7))");
  await expect(screenOf(alice)).toContainText("FROM-BOB-42");
  expect(await consoleText(alice)).not.toContain("BOB-SNEAKS-IN"); // not even echoed: it never reached the guest

  await request.post(`/api/guests/${guest.id}/force-off`);
});

test("reloading the page in the middle of output loses nothing", async ({ page, request }) => {
  const guest = await createGuestViaApi(request, "reload");
  await page.goto(`/guests/${guest.id}`);
  await startGuest(page);
  await typeLine(
    page,
    "i=0; while [ $i -lt 150 ]; do printf 'L%03d\\n' $i; i=$((i+1)); usleep 20000; done; echo ALL-DONE",
  );
  // Scrollback included: the visible rows scroll past any one line between two polls.
  await expect.poll(() => consoleText(page), { timeout: 60_000 }).toMatch(/^L030$/m);
  await page.reload();
  // The line the loop prints at its end (the typed command contains the text too).
  await expect.poll(() => consoleText(page), { timeout: 60_000 }).toMatch(/^ALL-DONE$/m);
  const text = await consoleText(page);
  const seen = [...text.matchAll(/^L(\d{3})$/gm)].map((m) => Number(m[1]));
  expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i));
  await request.post(`/api/guests/${guest.id}/force-off`);
});
