import { expect, test } from "./fixtures";
import { createGuestViaApi, screenOf, startGuest, stopGuest, typeLine } from "./helpers";

// The seed's promise: a guest's changes can be rolled back, or wiped, in seconds.
test("write a file, snapshot, change it, revert to see the original, reset to see it gone", async ({
  page,
  request,
}) => {
  const guest = await createGuestViaApi(request, "disk");
  await page.goto(`/guests/${guest.id}`);
  const screen = screenOf(page);

  await startGuest(page);
  await typeLine(page, "echo original > /root/f; sync");
  await stopGuest(page);

  await page.getByRole("button", { name: "Take snapshot" }).click();
  await page.getByRole("dialog").getByLabel("Snapshot name").fill("before-change");
  await page.getByRole("dialog").getByRole("button", { name: "Take snapshot" }).click();
  await expect(page.getByRole("cell", { name: "before-change" })).toBeVisible();

  await startGuest(page);
  await typeLine(page, "echo changed > /root/f; sync; echo CHECK-1:$(cat /root/f)");
  await expect(screen).toContainText("CHECK-1:changed");
  await stopGuest(page);

  await page
    .getByRole("row", { name: /before-change/ })
    .getByRole("button", { name: "Revert" })
    .click();
  await page.getByRole("dialog").getByRole("button", { name: "Revert disk" }).click();
  await startGuest(page);
  await typeLine(page, "echo CHECK-2:$(cat /root/f)");
  await expect(screen).toContainText("CHECK-2:original");

  // Reset works on a running guest too: the dialog says it stops it first.
  await page.getByRole("button", { name: "Reset to pristine" }).click();
  await expect(page.getByRole("dialog")).toContainText("Corral stops it first");
  await page.getByRole("dialog").getByRole("button", { name: "Reset disk" }).click();
  await expect(page.getByTestId("guest-state")).toHaveText("stopped");
  await expect(page.getByRole("status").filter({ hasText: "Reset to pristine" })).toBeVisible();
  await startGuest(page);
  await typeLine(page, "echo CHECK-3:$(cat /root/f 2>&1)");
  await expect(screen).toContainText("CHECK-3:cat: can't open '/root/f'");
  await stopGuest(page);
});
