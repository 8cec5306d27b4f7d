import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageView, UserView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

const MiB = 1024 * 1024;
const allocated = (file: string) => (fs.existsSync(file) ? fs.statSync(file).blocks * 512 : 0);

// Images a developer commits from a guest are theirs: they count against their disk quota
// (allocated bytes, as their guests' disks do) and they may delete them once unused.
describe("committed images and the disk quota (real UML)", () => {
  const daemon = new TestDaemon();
  let dev: string;
  let other: string;
  let guestId: string;
  let image: ImageView;
  const imagesDir = path.join(daemon.dataDir, "images");
  const cow = () => path.join(daemon.dataDir, "guests", guestId, "root.cow");

  const me = async (as = dev) =>
    (await daemon.api<{ user: UserView }>("GET", "/api/auth/me", undefined, { as })).body.user;
  const commit = (imageName: string, as = dev) =>
    daemon.api("POST", `/api/guests/${guestId}/commit`, { imageName }, { as });
  const setQuota = async (maxDiskMiB: number) => {
    const users = (await daemon.api<UserView[]>("GET", "/api/users")).body;
    const id = users.find((u) => u.username === "committer")!.id;
    expect((await daemon.api("PATCH", `/api/users/${id}`, { quota: { maxDiskMiB } })).status).toBe(200);
  };
  const imageNames = async () => (await daemon.api<ImageView[]>("GET", "/api/images")).body.map((i) => i.name).sort();

  beforeAll(async () => {
    await daemon.start();
    dev = await daemon.userSession("committer", "developer", { maxDiskMiB: 1000 });
    other = await daemon.userSession("bystander", "developer");
    const g = await daemon.api(
      "POST",
      "/api/guests",
      {
        name: "source",
        imageId: await daemon.defaultImageId(),
        memoryMiB: 48,
        network: "none",
      },
      { as: dev },
    );
    guestId = g.body.id;
    await daemon.api("POST", `/api/guests/${guestId}/start`, undefined, { as: dev });
    await daemon.waitForState(guestId, "running");
    const tap = await daemon.attachConsole(await daemon.socket(dev), guestId);
    await tap.type("dd if=/dev/urandom of=/root/data bs=1M count=2 2>/dev/null; sync; echo WROTE-$((1+1))\r");
    await tap.expect(/WROTE-2\r\n/);
    await daemon.api("POST", `/api/guests/${guestId}/stop`, undefined, { as: dev });
    await daemon.waitForState(guestId, "stopped");
  });
  afterAll(() => daemon.cleanup());

  it("counts a committed image against the developer's disk quota, in /api/auth/me and /api/users", async () => {
    const before = await me();
    expect(before.usage.diskMiB).toBe(Math.ceil(allocated(cow()) / MiB));
    const res = await commit("mine");
    expect(res.status).toBe(201);
    image = res.body;
    const file = path.join(imagesDir, "mine.img");
    expect(allocated(file)).toBeGreaterThan(2 * MiB); // at least the data written in the guest
    const expected = Math.ceil((allocated(cow()) + allocated(file)) / MiB);
    expect((await me()).usage.diskMiB).toBe(expected);
    const listed = (await daemon.api<UserView[]>("GET", "/api/users")).body.find((u) => u.username === "committer")!;
    expect(listed.usage.diskMiB).toBe(expected);
  });

  it("refuses a commit that would exceed the quota before writing anything", async () => {
    const used = (await me()).usage.diskMiB;
    await setQuota(used);
    const files = fs.readdirSync(imagesDir).sort();
    const names = await imageNames();
    const res = await commit("one-too-many");
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      new RegExp(`Over committer's quota \\(disk: ${used} of ${used} MiB used, this needs \\d+ more\\)`),
    );
    expect(fs.readdirSync(imagesDir).sort()).toEqual(files);
    expect(await imageNames()).toEqual(names);
    expect((await me()).usage.diskMiB).toBe(used);
    // An admin's commit of the same guest is the admin's: no owner, no developer's quota.
    const byAdmin = await daemon.api<ImageView>("POST", `/api/guests/${guestId}/commit`, { imageName: "admins" });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.ownerName).toBeNull();
    expect((await me()).usage.diskMiB).toBe(used);
    await setQuota(1000);
  });

  it("lets one of two parallel commits through when the quota has room for one", async () => {
    const twin = await daemon.api("POST", `/api/guests/${guestId}/clone`, { name: "twin" }, { as: dev });
    expect(twin.status).toBe(201);
    const used = (await me()).usage.diskMiB;
    await setQuota(used);
    const probe = await commit("probe");
    expect(probe.status).toBe(409);
    const needs = Number(/this needs (\d+) more/.exec(probe.body.error.message)![1]);
    // One commit of this disk adds at least `takes` to the usage (both guests' disks hold the
    // same; usage is rounded up as a whole): room for one, not two.
    const takes = Math.floor(allocated(path.join(imagesDir, "mine.img")) / MiB);
    await setQuota(used + needs + takes - 1);
    const results = await Promise.all([
      commit("race-a"),
      daemon.api<ImageView>("POST", `/api/guests/${twin.body.id}/commit`, { imageName: "race-b" }, { as: dev }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await me()).usage.diskMiB).toBeLessThanOrEqual(used + needs + takes - 1);
    const won = results.find((r) => r.status === 201)!.body as ImageView;
    expect((await daemon.api("DELETE", `/api/images/${won.id}`, undefined, { as: dev })).status).toBe(204);
    expect((await daemon.api("DELETE", `/api/guests/${twin.body.id}`, undefined, { as: dev })).status).toBe(204);
    await setQuota(1000);
  });

  it("lets the owner delete their unused image, but no other developer, and not an admin's image", async () => {
    expect(image.ownerName).toBe("committer");
    const admins = (await daemon.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.name === "admins")!;
    const builtIn = await daemon.defaultImageId();
    for (const [who, id] of [
      [other, image.id],
      [dev, admins.id],
      [dev, builtIn],
    ] as const) {
      const refused = await daemon.api("DELETE", `/api/images/${id}`, undefined, { as: who });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/may delete only the images you committed/);
    }
    expect(await imageNames()).toEqual(["admins", "busybox", "mine"]);

    // In use by one of the owner's guests: refused until that guest is gone.
    const user = await daemon.api(
      "POST",
      "/api/guests",
      { name: "on-mine", imageId: image.id, memoryMiB: 48 },
      {
        as: dev,
      },
    );
    const inUse = await daemon.api("DELETE", `/api/images/${image.id}`, undefined, { as: dev });
    expect(inUse.status).toBe(409);
    await daemon.api("DELETE", `/api/guests/${user.body.id}`, undefined, { as: dev });

    const usedWithImage = (await me()).usage.diskMiB;
    expect((await daemon.api("DELETE", `/api/images/${image.id}`, undefined, { as: dev })).status).toBe(204);
    expect(fs.existsSync(path.join(imagesDir, "mine.img"))).toBe(false);
    expect(await imageNames()).toEqual(["admins", "busybox"]);
    expect((await me()).usage.diskMiB).toBe(Math.ceil(allocated(cow()) / MiB));
    expect((await me()).usage.diskMiB).toBeLessThan(usedWithImage);
  });
});
