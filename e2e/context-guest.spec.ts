import { expect, test } from "./fixtures";

// A context guest from the browser: chosen at create, marked in the list, boots to a shell on
// the host's own kernel, runs a command, and resets to pristine. Needs LXC (scripts/setup.sh).
test("create a context guest, use its console, stop it and reset it", async ({ page, request }) => {
  const name = `e2e-ctx-${Date.now().toString(36)}`;

  await page.goto("/");
  await page.getByLabel("Name", { exact: true }).fill(name);
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create guest" }) });
  await form.getByLabel("Kind").selectOption("context");
  await page.getByLabel("Memory (MiB)").fill("64");
  await page.getByRole("button", { name: "Create guest" }).click();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row).toContainText("context");
  await page.getByRole("link", { name, exact: true }).click();

  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("Context (shared kernel, LXC)")).toBeVisible();
  // The form's default network, as for a UML guest: the user network, on the container's eth0.
  await expect(page.getByText("10.0.2.15/24")).toBeVisible();
  await expect(page.getByText("eth0", { exact: true })).toBeVisible();
  const state = page.getByTestId("guest-state");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(state).toHaveText("running");
  const screen = page.getByTestId("console").locator(".xterm-rows");
  await expect(screen).toContainText(":/#");

  await page.getByTestId("console").click();
  await page.keyboard.type("echo made-by-$((6*7)) > /root/f; cat /root/f");
  await page.keyboard.press("Enter");
  await expect(screen).toContainText("made-by-42");
  await page.keyboard.type("ip -4 addr show eth0 | grep -o 'inet [0-9./]*'");
  await page.keyboard.press("Enter");
  await expect(screen).toContainText("inet 10.0.2.15/24");

  // Reset while running: the dialog says it stops the guest first; the layer is dropped.
  await page.getByRole("button", { name: "Reset to pristine" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reset disk" }).click();
  await expect(state).toHaveText("stopped");
  await expect(page.getByRole("status").filter({ hasText: "Reset to pristine" })).toBeVisible();
  await page.getByRole("button", { name: "Start" }).click();
  await expect(state).toHaveText("running");
  await page.getByTestId("console").click();
  await page.keyboard.type("echo CHECK:$(cat /root/f 2>&1)");
  await page.keyboard.press("Enter");
  await expect(screen).toContainText("CHECK:cat: can't open '/root/f'");

  const guests = await (await request.get(`/api/guests?kind=context`)).json();
  expect(guests.map((g: { name: string }) => g.name)).toContain(name);
});
