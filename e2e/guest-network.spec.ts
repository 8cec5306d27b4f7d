import net from "node:net";
import { expect, test } from "./fixtures";
import { createGuestViaApi } from "./helpers";

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

test("a start the host refuses (its forwarded port is taken) says why beside the Start button", async ({
  page,
  request,
}) => {
  // Another program holds the port: the start is accepted, then its boot fails on the host.
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  try {
    const hostPort = (holder.address() as net.AddressInfo).port;
    const { id, name } = await createGuestViaApi(request, "held", {
      forwards: [{ protocol: "tcp", hostPort, guestPort: 80 }],
    });
    await page.goto(`/guests/${id}`);
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await expect(page.getByTestId("guest-state")).toHaveText("crashed");
    const actions = page.getByRole("group", { name: `Actions for ${name}` }).locator("..");
    await expect(actions.getByRole("alert")).toContainText(
      `Start failed: The guest could not be started: Host port ${hostPort}/tcp on 127.0.0.1 is in use by another program.`,
    );
  } finally {
    holder.close();
  }
});
