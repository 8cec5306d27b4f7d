import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestView, ImageView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";
import { ContextConsole } from "./context-console";
import { probeContextSupport } from "./host-support";
import { contextPaths } from "./lxc-paths";

// Clone and commit of context guests on real containers (and a real UML kernel for the
// committed image): each guest's files belong to its own uid range on the host, so a copy
// must move every owner to the clone's range, and a commit back to the image's own ids.
const support = probeContextSupport(process.cwd());

describe.skipIf(!support.available)("clone and commit of context guests (real LXC, real UML)", () => {
  const daemon = new TestDaemon();
  const ctx = new ContextConsole(daemon);
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());
  const post = <T = unknown>(url: string, body: unknown = {}) => daemon.api<T>("POST", url, body);

  async function stop(id: string) {
    await post(`/api/guests/${id}/stop`);
    await daemon.waitForState(id, "stopped");
  }
  /** Boots a context guest, runs each command, powers it off; what each printed. */
  async function inContext(guest: GuestView, commands: string[]): Promise<string[]> {
    const tap = await ctx.boot(guest);
    const out: string[] = [];
    for (const c of commands) out.push(await ctx.sh(tap, c));
    await stop(guest.id);
    return out;
  }
  const base = (id: string) => Number(fs.readFileSync(contextPaths(daemon.dataDir, id).rangeFile, "utf8"));
  /** Every owner and group in a guest's layer on the host, as offsets from `from`. */
  function hostOwners(id: string, from: number): Set<number> {
    const out = execFileSync("find", [contextPaths(daemon.dataDir, id).upper, "-printf", "%U %G\n"], {
      encoding: "utf8",
    });
    return new Set(
      out
        .trim()
        .split(/\s+/)
        .map((n) => Number(n) - from),
    );
  }
  const loopsOf = (file: string) =>
    execFileSync("losetup", ["-j", file], { encoding: "utf8" }).trim().split("\n").filter(Boolean).length;

  // What the guest changed, and how each copy must show it: a new file (and a hard link to
  // it), a file and a folder of the image deleted, a user's folder and file.
  const CHANGE = [
    "echo made > /root/made; ln /root/made /root/made-link; rm /etc/fstab; rmdir /var/log",
    "mkdir -p /home/bob; echo b > /home/bob/f; chown -R 1000:1001 /home/bob; sync",
  ];
  const LOOK = "cat /root/made; ls -ln /home /home/bob /root; ls -d /etc/fstab /var/log 2>&1";
  function expectChanged(out: string) {
    expect(out).toMatch(/^made\r/m);
    expect(out).toMatch(/^d\S+\s+\d+\s+1000\s+1001\s.* bob\r/m);
    expect(out).toMatch(/^-\S+\s+1\s+1000\s+1001\s.* f\r/m);
    expect(out).toMatch(/^-\S+\s+2\s+0\s+0\s.* made\r/m);
    expect(out).toMatch(/\/etc\/fstab: No such file/);
    expect(out).toMatch(/\/var\/log: No such file/);
  }

  it("clones a context guest: the clone sees its changes, owners shifted to the clone's own range", async () => {
    const src = await daemon.createGuest("ctx-orig", { kind: "context", network: "none" });
    await inContext(src, CHANGE);
    const clone = await post<GuestView>(`/api/guests/${src.id}/clone`, { name: "ctx-twin" });
    expect(clone.status).toBe(201);
    expect(clone.body.kind).toBe("context");

    // On the host: each layer stays in its own range (offsets 0 and 1000/1001 only).
    const [a, b] = [base(src.id), base(clone.body.id)];
    expect(a).not.toBe(b);
    expect(hostOwners(src.id, a)).toEqual(new Set([0, 1000, 1001]));
    expect(hostOwners(clone.body.id, b)).toEqual(new Set([0, 1000, 1001]));
    expectChanged((await inContext(clone.body, [LOOK]))[0]);

    // Committed: a new image on which a context guest and a UML guest both see the changes.
    const loops = loopsOf(path.join(daemon.dataDir, "images", "busybox.img"));
    const image = await post<ImageView>(`/api/guests/${src.id}/commit`, { imageName: "ctx-made" });
    expect(image.status).toBe(201);
    expect(fs.readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(path.join(daemon.dataDir, "guests"));
    expect(loopsOf(path.join(daemon.dataDir, "images", "busybox.img"))).toBe(loops);
    const onImage = await daemon.createGuest("ctx-on-made", {
      kind: "context",
      network: "none",
      imageId: image.body.id,
    });
    expectChanged((await inContext(onImage, [LOOK]))[0]);

    const uml = await daemon.createGuest("uml-on-made", { imageId: image.body.id });
    await daemon.startGuest(uml.id);
    const s = await daemon.socket();
    const tap = await daemon.attachConsole(s, uml.id);
    await tap.type(`${LOOK}; echo END-$((1+1))\r`);
    const [, out] = await tap.expect(/\r\n([\s\S]*?)END-2\r\n/);
    s.close();
    expectChanged(out);
    await stop(uml.id);
  });

  it("refuses a commit too big for its image and a layer with a file outside its range, leaving nothing", async () => {
    const g = await daemon.createGuest("ctx-tampered", { kind: "context", network: "none" });
    await inContext(g, ["echo x > /root/x; head -c 40000000 /dev/urandom > /root/big; sync"]);
    const image = path.join(daemon.dataDir, "images", "busybox.img");
    const loops = loopsOf(image);
    const big = await post<{ error: { message: string } }>(`/api/guests/${g.id}/commit`, { imageName: "ctx-big" });
    expect(big.status).toBe(409);
    expect(big.body.error.message).toMatch(/do not fit in its image's 32 MiB/);
    expect(fs.readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(path.join(daemon.dataDir, "guests"));
    expect(loopsOf(image)).toBe(loops);

    fs.chownSync(path.join(contextPaths(daemon.dataDir, g.id).upper, "root/x"), 0, 0);
    const guests = (await daemon.api<unknown[]>("GET", "/api/guests")).body.length;
    const images = (await daemon.api<unknown[]>("GET", "/api/images")).body.length;
    for (const [url, body] of [
      [`/api/guests/${g.id}/clone`, { name: "ctx-bad-copy" }],
      [`/api/guests/${g.id}/commit`, { imageName: "ctx-bad-image" }],
    ] as const) {
      const res = await post<{ error: { message: string } }>(url, body);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/\/root\/x\) owned by host ids 0:0, outside its own range/);
    }
    expect((await daemon.api<unknown[]>("GET", "/api/guests")).body.length).toBe(guests);
    expect((await daemon.api<unknown[]>("GET", "/api/images")).body.length).toBe(images);
    expect(fs.readdirSync(path.join(daemon.dataDir, "images")).filter((f) => /ctx-(bad|big)/.test(f))).toEqual([]);
    expect(fs.readdirSync(path.join(daemon.dataDir, "guests", g.id)).filter((f) => f.startsWith("."))).toEqual([]);
  });
});
