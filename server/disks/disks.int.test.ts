import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestView, ImageView, SnapshotView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

describe("reset, snapshots, clone and commit (real UML)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  /** Boots the guest, runs a shell command, returns what it printed, powers it off. */
  async function inGuest(id: string, command: string): Promise<string> {
    await daemon.startGuest(id);
    const s = await daemon.socket();
    const tap = await daemon.attachConsole(s, id);
    await tap.type(`${command}; echo END-$((1+1))\r`);
    const [, out] = await tap.expect(/\r\n([\s\S]*?)END-2\r\n/);
    s.close();
    await daemon.api("POST", `/api/guests/${id}/stop`);
    await daemon.waitForState(id, "stopped");
    return out;
  }
  const post = <T = any>(url: string, body?: unknown) => daemon.api<T>("POST", url, body ?? {});

  it("round-trips a file through snapshot, revert, clone, commit and reset", async () => {
    const g = await daemon.createGuest("keeper-of-files");
    await inGuest(g.id, "echo original > /root/f; sync");

    const snap = await post<SnapshotView>(`/api/guests/${g.id}/snapshots`, { name: "before-change" });
    expect(snap.status).toBe(201);
    expect(snap.body.sizeBytes).toBeGreaterThan(0);
    expect(await inGuest(g.id, "cat /root/f; echo changed > /root/f; sync")).toContain("original");

    expect((await post(`/api/guests/${g.id}/snapshots/${snap.body.id}/revert`)).status).toBe(200);
    expect(await inGuest(g.id, "cat /root/f")).toContain("original");

    const clone = await post<GuestView>(`/api/guests/${g.id}/clone`, { name: "the-copy" });
    expect(clone.status).toBe(201);
    expect(await inGuest(clone.body.id, "cat /root/f")).toContain("original");

    const image = await post<ImageView>(`/api/guests/${g.id}/commit`, { imageName: "with-file" });
    expect(image.status).toBe(201);
    expect(image.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const onImage = await daemon.createGuest("from-image", { imageId: image.body.id });
    expect(await inGuest(onImage.id, "cat /root/f")).toContain("original");

    const reset = await post<{ discardedBytes: number }>(`/api/guests/${g.id}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body.discardedBytes).toBeGreaterThan(0);
    expect(await inGuest(g.id, "cat /root/f")).toMatch(/No such file/);

    // The original image never changed: a fresh guest on it has no file either.
    const fresh = await daemon.createGuest("fresh");
    expect(await inGuest(fresh.id, "cat /root/f")).toMatch(/No such file/);
  });

  it("resets a running guest only when asked to stop it first", async () => {
    const g = await daemon.createGuest("busy-disk");
    await daemon.startGuest(g.id);
    const refused = await post<{ error: { message: string } }>(`/api/guests/${g.id}/reset`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/Stop it before resetting it/);
    expect((await daemon.guest(g.id)).state).toBe("running");
    const ok = await post<{ guest: GuestView }>(`/api/guests/${g.id}/reset`, { stopFirst: true });
    expect(ok.status).toBe(200);
    expect(ok.body.guest.state).toBe("stopped");
    expect(fs.existsSync(path.join(daemon.dataDir, "guests", g.id, "root.cow"))).toBe(false);
  });

  it("refuses bad names, duplicates and images in use, changing nothing", async () => {
    const g = await daemon.createGuest("picky");
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ["POST", `/api/guests/${g.id}/snapshots`, { name: "Has Space" }, 422, /lower-case letters/],
      ["POST", `/api/guests/${g.id}/snapshots`, {}, 422, /expected string/i],
      ["POST", `/api/guests/${g.id}/clone`, { name: "picky" }, 409, /already exists/],
      ["POST", `/api/guests/${g.id}/clone`, { name: "-bad" }, 422, /starting with a letter/],
      ["POST", `/api/guests/${g.id}/commit`, { imageName: "busybox" }, 409, /already exists/],
      ["POST", `/api/guests/${g.id}/snapshots/nosuch/revert`, undefined, 404, /No such snapshot/],
      ["POST", `/api/guests/${g.id}/reset`, { stopFirst: "yes" }, 422, /expected boolean/i],
      ["DELETE", `/api/images/${await daemon.defaultImageId()}`, undefined, 409, /built-in image cannot be deleted/],
    ];
    for (const [method, url, body, status, message] of cases) {
      const res = await daemon.api(method, url, body);
      expect.soft(res.status, `${method} ${url}`).toBe(status);
      expect.soft(JSON.stringify(res.body), `${method} ${url}`).toMatch(message);
    }
    const taken = await post(`/api/guests/${g.id}/snapshots`, { name: "one" });
    expect(taken.status).toBe(201);
    expect((await post(`/api/guests/${g.id}/snapshots`, { name: "one" })).status).toBe(409);
    expect((await daemon.api<SnapshotView[]>("GET", `/api/guests/${g.id}/snapshots`)).body).toHaveLength(1);

    const image = await post<ImageView>(`/api/guests/${g.id}/commit`, { imageName: "in-use" });
    const user = await daemon.createGuest("user-of-image", { imageId: image.body.id });
    const inUse = await daemon.api("DELETE", `/api/images/${image.body.id}`);
    expect(inUse.status).toBe(409);
    expect(JSON.stringify(inUse.body)).toMatch(/used by 1 guest/);
    await daemon.api("DELETE", `/api/guests/${user.id}`);
    expect((await daemon.api("DELETE", `/api/images/${image.body.id}`)).status).toBe(204);
    expect(fs.existsSync(path.join(daemon.dataDir, "images", "in-use.img"))).toBe(false);
  });

  it("fails the boot of a guest on a changed image or a damaged disk, with a clear reason", async () => {
    const base = await post<ImageView>(`/api/guests/${(await daemon.createGuest("base")).id}/commit`, {
      imageName: "tamper",
    });
    const g = await daemon.createGuest("on-tampered", { imageId: base.body.id });
    await inGuest(g.id, "true");
    const file = path.join(daemon.dataDir, "images", "tamper.img");

    const cow = path.join(daemon.dataDir, "guests", g.id, "root.cow");
    const header = fs.readFileSync(cow).subarray(0, 64);
    const fd = fs.openSync(cow, "r+");
    fs.writeSync(fd, Buffer.from("garbage!"), 0, 8, 0);
    fs.closeSync(fd);
    // The start is accepted (queued); the boot finds the damage and fails, saying why.
    const failedStart = async () => {
      expect((await post(`/api/guests/${g.id}/start`)).status).toBe(202);
      const crashed = await daemon.waitForState(g.id, "crashed");
      expect(crashed.lastBoot?.outcome).toBe("failed");
      return crashed.stateReason;
    };
    expect(await failedStart()).toMatch(/disk \(root.cow\) cannot be used: it does not start with UML's COW signature/);
    const fd2 = fs.openSync(cow, "r+");
    fs.writeSync(fd2, header, 0, header.length, 0);
    fs.closeSync(fd2);

    const st = fs.statSync(file);
    fs.chmodSync(file, 0o644);
    fs.appendFileSync(file, Buffer.alloc(512, 7));
    expect(await failedStart()).toMatch(/"tamper" has changed on disk .* checksum no longer matches/);
    fs.truncateSync(file, st.size);
    fs.utimesSync(file, st.atime, st.mtime);
    expect((await daemon.guest(g.id)).state).toBe("crashed");
    await daemon.startGuest(g.id);
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
  });
});
