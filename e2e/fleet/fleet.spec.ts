import { expect, test } from "../fixtures";
import { parseCsv } from "../csv";
import { screenOf, startGuest, stopGuest, typeLine } from "../helpers";

// One sign-in for a fleet of two hosts (e2e/fleet/stack.ts): the web stands in front of
// fleet-a's daemon; fleet-b's guests are reached through it.
test("one sign-in: guests of two hosts in one list, a root console on each, and one migrated", async ({
  page,
  request,
}) => {
  const hosts = (await (await request.get("/api/hosts")).json()) as Array<{ id: string; name: string }>;
  expect(hosts.map((h) => h.name).sort()).toEqual(["fleet-a", "fleet-b"]);
  const images = (await (await request.get("/api/images")).json()) as Array<{ id: string; builtIn: boolean }>;
  const imageId = images.find((i) => i.builtIn)!.id;
  const stamp = Date.now().toString(36);
  const guests = [];
  for (const host of hosts) {
    const name = `on-${host.name}-${stamp}`;
    const res = await request.post("/api/guests", { data: { name, imageId, memoryMiB: 64, hostId: host.id } });
    expect(res.status(), await res.text()).toBe(201);
    guests.push({ id: (await res.json()).id as string, name, host: host.name });
  }

  // One list, each guest with its host; the host filter narrows it to one host's.
  await page.goto("/");
  for (const g of guests) {
    const row = page.getByRole("row").filter({ hasText: g.name });
    await expect(row.getByTestId("guest-host")).toHaveText(g.host);
  }
  await page.getByLabel("Host", { exact: true }).selectOption("fleet-b");
  await expect(page.getByRole("row").filter({ hasText: guests[1].name })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: guests[0].name })).toHaveCount(0);

  // Each console, typed into as root, whichever host runs the guest.
  for (const g of guests) {
    await page.goto(`/guests/${g.id}`);
    await startGuest(page);
    await typeLine(page, `echo ON-$(hostname)-$((6*7)) | tee /root/written-on-${g.host}`);
    await expect(screenOf(page)).toContainText(`ON-${g.name}-42`);
    await stopGuest(page);
  }

  // fleet-a's guest moves to fleet-b, stopped, with what it wrote; it boots there with its history.
  const moved = guests[0];
  await page.goto(`/guests/${moved.id}`);
  await expect(page.getByTestId("guest-host")).toHaveText("fleet-a");
  await page.getByRole("button", { name: "Migrate to host…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Host").selectOption({ label: "fleet-b" });
  await dialog.getByRole("button", { name: "Migrate" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Moved to fleet-b" })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Moving to fleet-b" })).toHaveAttribute("aria-valuetext", "moved");
  await expect(page.getByTestId("guest-host")).toHaveText("fleet-b");
  await startGuest(page);
  await typeLine(page, "cat /root/written-on-fleet-a");
  await expect(screenOf(page)).toContainText(`ON-${moved.name}-42`);
  await stopGuest(page);
  // Its first boot, on fleet-a, is still in its history.
  await expect(page.getByRole("link", { name: "View log" })).toHaveCount(2);
});

test("the consolidation page shows the fleet host by host, and its CSV agrees", async ({ page, request }) => {
  const hosts = (await (await request.get("/api/hosts")).json()) as Array<{ id: string; name: string }>;
  const b = hosts.find((h) => h.name === "fleet-b")!;
  const images = (await (await request.get("/api/images")).json()) as Array<{ id: string; builtIn: boolean }>;
  const name = `busy-b-${Date.now().toString(36)}`;
  const created = await request.post("/api/guests", {
    data: { name, imageId: images.find((i) => i.builtIn)!.id, memoryMiB: 80, hostId: b.id },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as string;
  expect((await request.post(`/api/guests/${id}/start`)).status()).toBeLessThan(300);
  await expect
    .poll(async () => ((await (await request.get(`/api/guests/${id}`)).json()) as { state: string }).state)
    .toBe("running");

  // Each new tick, the page fetches that tick's CPU averages (a raw query, PostgreSQL's here).
  const averages = page.waitForResponse((r) => r.url().includes("/consolidation/averages?"));
  await page.goto("/consolidation");
  const answer = await averages;
  expect(answer.status(), await answer.text()).toBe(200);
  const table = page.getByRole("region", { name: "Hosts of the fleet" });
  const rowOf = (host: string) => table.getByRole("row").filter({ hasText: host });
  await expect(rowOf("fleet-a")).toBeVisible();
  // fleet-b runs this one guest only (the other test's guests are stopped), 80 MiB of it.
  const cells = rowOf("fleet-b").getByRole("cell");
  await expect(cells.nth(2)).toHaveText(/^1 \/ \d+$/); // guests running / on the host
  await expect(cells.nth(3)).toHaveText("80 MiB"); // memory allocated

  const csv = parseCsv(await (await request.get("/consolidation/csv/hosts")).text());
  const [header, ...rows] = csv;
  const running = header.findIndex((h) => /guests.running/i.test(h));
  const allocated = header.findIndex((h) => /allocated/i.test(h));
  const rowB = rows.find((r) => r[0] === "fleet-b")!;
  expect([rowB[running], rowB[allocated]]).toEqual(["1", "80"]);
  expect(rows.map((r) => r[0]).sort()).toEqual(["fleet-a", "fleet-b"]);
  await request.post(`/api/guests/${id}/force-off`);
});
