import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { signIn } from "./helpers";
import { imagesDir, importDir, makeExt4, removeExt4s } from "./image-fixtures";

test.afterAll(removeExt4s);

const partials = () => fs.readdirSync(imagesDir()).filter((f) => f.endsWith(".partial"));

test("import a host file and upload one, see each on its page, delete them", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const source = makeExt4("4M");
  fs.copyFileSync(source, path.join(importDir(), `host-${stamp}.img`));

  await page.goto("/images");
  const fromHost = page.getByRole("form", { name: "Import from the host" });
  await fromHost.getByLabel("File in the import directory").fill("../corral.db");
  await fromHost.getByLabel("Image name").fill(`host-${stamp}`);
  await fromHost.getByRole("button", { name: "Import" }).click();
  await expect(fromHost.getByText(/may not contain '\.\.'/)).toBeVisible();
  await fromHost.getByLabel("File in the import directory").fill(`host-${stamp}.img`);
  await fromHost.getByRole("button", { name: "Import" }).click();
  await expect(fromHost.getByRole("status")).toHaveText(`Imported host-${stamp}.`);

  const upload = page.getByRole("form", { name: "Upload an image" });
  await upload.getByLabel("Image file").setInputFiles(source);
  await expect(upload.getByLabel("Image name")).toHaveValue("rootfs");
  await upload.getByLabel("Image name").fill(`up-${stamp}`);
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByRole("status")).toContainText(`Uploaded up-${stamp}`);

  // A file that is not a filesystem is refused with the reason, and nothing is kept.
  const junk = path.join(path.dirname(source), "junk.img");
  fs.writeFileSync(junk, Buffer.alloc(256 * 1024, 1));
  await upload.getByLabel("Image file").setInputFiles(junk);
  await upload.getByLabel("Image name").fill(`junk-${stamp}`);
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByRole("alert")).toContainText("not an ext2/3/4 filesystem image");
  expect(partials()).toEqual([]);

  await page.getByRole("link", { name: `up-${stamp}`, exact: true }).click();
  await expect(page.getByRole("heading", { name: `up-${stamp}` })).toBeVisible();
  const sha = await page.getByTestId("image-sha256").textContent();
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByText("No guest uses this image, so it can be deleted.")).toBeVisible();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete image" }).click();
  await expect(page).toHaveURL(/\/images$/);
  await expect(page.getByRole("link", { name: `up-${stamp}`, exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: `host-${stamp}`, exact: true })).toBeVisible();
});

test("a slow upload shows its progress and can be cancelled, leaving nothing", async ({ page }) => {
  const big = makeExt4("24M");
  await page.goto("/images");
  // 2 MiB/s: long enough to watch the bar move and press Cancel.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 2 * 1024 * 1024,
  });
  const upload = page.getByRole("form", { name: "Upload an image" });
  await upload.getByLabel("Image file").setInputFiles(big);
  await upload.getByLabel("Image name").fill(`slow-${Date.now().toString(36)}`);
  await upload.getByRole("button", { name: "Upload" }).click();
  const bar = upload.getByRole("progressbar", { name: "Upload progress" });
  await expect(bar).toHaveAttribute("aria-valuenow", /^([1-9]|[1-8]\d)$/);
  await expect.poll(partials).toHaveLength(1); // the daemon is writing it as it arrives
  await upload.getByRole("button", { name: "Cancel upload" }).click();
  await expect(upload.getByRole("alert")).toHaveText("Upload cancelled; nothing was kept.");
  await expect(bar).toHaveCount(0);
  await expect.poll(partials).toEqual([]);
});

test("a developer's committed image counts in their quota and is theirs alone to delete", async ({ page, browser }) => {
  const stamp = Date.now().toString(36);
  const username = `committer-${stamp}`;
  const created = await page.request.post("/api/users", {
    data: { username, role: "developer", password: "committer-password-1" },
  });
  expect(created.status()).toBe(201);
  const dev = await signIn(browser, username, "committer-password-1");
  const images = await (await dev.request.get("/api/images")).json();
  const guest = await dev.request.post("/api/guests", {
    data: { name: `src-${stamp}`, imageId: images.find((i: { builtIn: boolean }) => i.builtIn).id, memoryMiB: 48 },
  });
  expect(guest.status()).toBe(201);
  const guestId = (await guest.json()).id;
  const commit = await dev.request.post(`/api/guests/${guestId}/commit`, { data: { imageName: `mine-${stamp}` } });
  expect(commit.status()).toBe(201);

  await dev.goto("/account");
  await expect(dev.getByText("and the 1 image you committed")).toBeVisible();
  await dev.goto("/images");
  const mine = dev.getByRole("row", { name: new RegExp(`mine-${stamp}`) });
  await expect(mine.getByText("yours")).toBeVisible();
  await expect(dev.getByRole("row", { name: /busybox/ }).getByRole("button", { name: "Delete" })).toHaveCount(0);
  // The admin sees whose it is.
  await page.goto("/images");
  await expect(page.getByRole("row", { name: new RegExp(`mine-${stamp}`) }).getByText(`by ${username}`)).toBeVisible();

  await dev.request.delete(`/api/guests/${guestId}`);
  await dev.reload();
  await mine.getByRole("button", { name: "Delete" }).click();
  await dev.getByRole("dialog").getByRole("button", { name: "Delete image" }).click();
  await expect(dev.getByRole("link", { name: `mine-${stamp}`, exact: true })).toHaveCount(0);
  await dev.goto("/account");
  await expect(dev.getByText("and images you commit")).toBeVisible();
  await dev.context().close();
});
