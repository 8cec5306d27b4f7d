import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

describe("developer quotas (real daemon)", () => {
  const daemon = new TestDaemon();
  let dev: string;
  let image: string;
  beforeAll(async () => {
    await daemon.start();
    dev = await daemon.userSession("frugal", "developer", { maxGuests: 2, maxMemoryMiB: 160, maxDiskMiB: 1 });
    image = await daemon.defaultImageId();
  });
  afterAll(() => daemon.cleanup());

  const create = (name: string, memoryMiB: number) =>
    daemon.api("POST", "/api/guests", { name, imageId: image, memoryMiB }, { as: dev });
  const me = async () =>
    (await daemon.api<{ user: UserView }>("GET", "/api/auth/me", undefined, { as: dev })).body.user;

  it("counts guests and memory on create and memory edits, refusing what would go over", async () => {
    const first = await create("one", 96);
    expect(first.status).toBe(201);
    expect(first.body.ownerName).toBe("frugal");
    const tooBig = await create("two", 96);
    expect(tooBig.status).toBe(409);
    expect(tooBig.body.error.message).toMatch(
      /Over frugal's quota \(memory: 96 of 160 MiB allocated, this needs 96 more\)/,
    );
    expect((await create("two", 64)).status).toBe(201);
    const third = await create("three", 48);
    expect(third.status).toBe(409);
    expect(third.body.error.message).toMatch(/guests: 2 of 2 used/);
    const grow = await daemon.api("PATCH", `/api/guests/${first.body.id}`, { memoryMiB: 112 }, { as: dev });
    expect(grow.status).toBe(409);
    expect((await daemon.api("PATCH", `/api/guests/${first.body.id}`, { memoryMiB: 80 }, { as: dev })).status).toBe(
      200,
    );
    expect((await me()).usage).toMatchObject({ guests: 2, memoryMiB: 144 });
    expect((await me()).quota).toEqual({ maxGuests: 2, maxMemoryMiB: 160, maxDiskMiB: 1 });
    // Refused requests left nothing behind.
    const names = (await daemon.api<Array<{ name: string }>>("GET", "/api/guests", undefined, { as: dev })).body.map(
      (g) => g.name,
    );
    expect(names.sort()).toEqual(["one", "two"]);
  });

  it("counts the disk a guest's changes use, on snapshots and on the next start", async () => {
    const g = (
      await daemon.api<Array<{ id: string; name: string }>>("GET", "/api/guests", undefined, { as: dev })
    ).body.find((x) => x.name === "two")!;
    await daemon.api("POST", `/api/guests/${g.id}/start`, undefined, { as: dev });
    await daemon.waitForState(g.id, "running");
    const s = await daemon.socket(dev);
    const tap = await daemon.attachConsole(s, g.id);
    await tap.type("dd if=/dev/urandom of=/root/big bs=1M count=3 2>/dev/null; sync; echo WROTE-$((1+1))\r");
    await tap.expect(/WROTE-2\r\n/);
    await daemon.api("POST", `/api/guests/${g.id}/stop`, undefined, { as: dev });
    await daemon.waitForState(g.id, "stopped");
    expect((await me()).usage.diskMiB).toBeGreaterThan(1);
    const snap = await daemon.api("POST", `/api/guests/${g.id}/snapshots`, { name: "s1" }, { as: dev });
    expect(snap.status).toBe(409);
    expect(snap.body.error.message).toMatch(/disk: \d+ of 1 MiB used/);
    // Accepted (queued); the boot finds the quota spent and fails, saying why.
    const start = await daemon.api("POST", `/api/guests/${g.id}/start`, undefined, { as: dev });
    expect(start.status).toBe(202);
    const refused = await daemon.waitForState(g.id, "crashed");
    expect(refused.stateReason).toMatch(/disk: \d+ of 1 MiB used/);
    // An admin raises the quota; the developer carries on.
    const users = (await daemon.api<UserView[]>("GET", "/api/users")).body;
    const frugal = users.find((u) => u.username === "frugal")!;
    expect(frugal.usage.diskMiB).toBeGreaterThan(1);
    await daemon.api("PATCH", `/api/users/${frugal.id}`, { quota: { maxDiskMiB: 100 } });
    expect((await daemon.api("POST", `/api/guests/${g.id}/snapshots`, { name: "s1" }, { as: dev })).status).toBe(201);
  });

  it("counts a clone against whoever makes it", async () => {
    const g = (await daemon.api<Array<{ id: string; name: string }>>("GET", "/api/guests", undefined, { as: dev }))
      .body[0];
    const clone = await daemon.api("POST", `/api/guests/${g.id}/clone`, { name: "copy" }, { as: dev });
    expect(clone.status).toBe(409);
    expect(clone.body.error.message).toMatch(/guests: 2 of 2 used/);
    const byAdmin = await daemon.api("POST", `/api/guests/${g.id}/clone`, { name: "admins-copy" });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.ownerName).toBe("admin");
  });
});
