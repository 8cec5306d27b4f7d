import { expect, test } from "./fixtures";
import { createGuestViaApi, startGuest, stopGuest, typeLine } from "./helpers";

// busybox init runs every sysinit entry of /etc/inittab; one naming a script that is not
// there fails the way a missing init script fails on any busybox system.
const MISSING = "/etc/init.d/S50sshd";

// What an admin does after a bad boot: the guest is marked, its boot page says what failed
// and how the boot compares with the last ones, and the timeline leads into the replay.
test("a boot with an injected failure: marked, explained, charted, and found in the replay", async ({
  page,
  request,
}) => {
  const guest = await createGuestViaApi(request, "ana");
  await page.goto(`/guests/${guest.id}`);
  await startGuest(page);
  await typeLine(page, `echo '::sysinit:${MISSING}' >> /etc/inittab; sync`);
  await stopGuest(page);
  await startGuest(page);
  await stopGuest(page);

  // The guest page and the list mark it by its last boot (analysed as the boot ended).
  const badge = page.locator('[data-boot-health="failures"]').first();
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute("title", new RegExp(`new failure: ${MISSING.replace(/\//g, "\\/")}`));
  await page.goto("/");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: guest.name, exact: true }) });
  await expect(row.locator('[data-boot-health="failures"]')).toBeVisible();
  await page.goto("/consolidation");
  await expect(page.getByTestId("boot-health-summary").getByRole("link", { name: guest.name })).toBeVisible();

  await page.goto(`/guests/${guest.id}/boots/2`);
  await expect(page.getByTestId("boot-comparison")).toContainText(`new failure: ${MISSING}`);
  // Problems first: the failure, with the console's own words.
  const problems = page.getByRole("list", { name: "Problems" });
  await expect(problems.getByRole("listitem")).toHaveCount(1);
  await expect(problems).toContainText(`can't run '${MISSING}': No such file or directory`);
  // The chart has a row for it beside the kernel's and userspace's.
  const chart = page.getByTestId("boot-timeline-chart");
  await expect(chart).toContainText(MISSING);
  await expect(chart).toContainText("Kernel");
  await expect(chart).toContainText("Userspace");

  // The replay first shows the whole boot, down to its power-off.
  const replay = page.getByTestId("boot-log").locator(".xterm-rows");
  const status = page.getByRole("status").filter({ hasText: /Recorded log|At / });
  await expect(status).toHaveText("Recorded log");
  await expect(replay).toContainText("reboot: Power down");

  // Following the problem shows the console as it was then: the failure just printed,
  // nothing after it yet.
  await problems.getByRole("link", { name: /^Show at/ }).click();
  await expect(status).toHaveText(/^At \d+\.\d s of \d+\.\d s$/);
  await expect(replay).toContainText(`can't run '${MISSING}'`);
  await expect(replay).not.toContainText("reboot: Power down");
  expect(new URL(page.url()).hash).toMatch(/^#t=\d+(\.\d+)?$/);

  // An earlier moment from the list of every entry: before init, the failure is not there.
  await page.getByText(/^Every entry/).click();
  const rootRow = page.getByRole("row").filter({ hasText: "Root mounted" });
  await rootRow.getByRole("link").click();
  await expect(replay).toContainText("VFS: Mounted root");
  await expect(replay).not.toContainText("can't run");

  // A link to a moment opens the replay there.
  const moment = new URL(page.url()).hash;
  await page.reload();
  await expect(status).toHaveText(/^At /);
  expect(new URL(page.url()).hash).toBe(moment);
  await expect(replay).not.toContainText("can't run");

  // "End" shows the whole boot again.
  await page.getByRole("button", { name: "End" }).click();
  await expect(status).toHaveText("Recorded log");
  await expect(replay).toContainText("reboot: Power down");
});
