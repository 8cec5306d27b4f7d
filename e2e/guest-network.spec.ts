import { expect, test } from "./fixtures";

test("a guest created with a port forward shows its network, and the forward can be edited while stopped", async ({
  page,
}) => {
  const name = `net-${Date.now().toString(36)}`;
  const hostPort = 20000 + Math.floor(Math.random() * 20000);
  await page.goto("/");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByText("Network and access").click();
  await page.getByRole("button", { name: "Add port forward" }).click();
  await page.getByLabel("Host port 1").fill(String(hostPort));
  await page.getByLabel("Guest port 1").fill("80");
  await page.getByRole("button", { name: "Create guest" }).click();
  await page.getByRole("link", { name, exact: true }).click();

  const card = page.getByRole("region", { name: "Network" }).or(page.locator("section", { hasText: "Port forwards" }));
  await expect(card).toContainText("10.0.2.15/24");
  await expect(page.getByRole("list", { name: "Port forwards" })).toContainText(
    `127.0.0.1:${hostPort} → guest :80 (tcp)`,
  );

  await card.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Guest port 1").fill("8080");
  await dialog.getByRole("button", { name: "Save network" }).click();
  await expect(page.getByRole("list", { name: "Port forwards" })).toContainText(
    `127.0.0.1:${hostPort} → guest :8080 (tcp)`,
  );
});
