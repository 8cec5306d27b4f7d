import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostView, ImageView } from "../../lib/shared/protocol";
import { buildTestImage } from "../test-support/test-image";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";
import { WEB_ORIGIN } from "../test-support/daemon-session";

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("importing and uploading images (real daemon)", () => {
  const daemon = new TestDaemon({ CORRAL_UPLOAD_MAX_MIB: "2" });
  const importDir = path.join(daemon.dataDir, "import");
  const imagesDir = path.join(daemon.dataDir, "images");
  let good: string;
  let baseline: { files: string[]; images: string[] };

  const images = async () => (await daemon.api<ImageView[]>("GET", "/api/images")).body.map((i) => i.name).sort();
  const snapshot = async () => ({ files: fs.readdirSync(imagesDir).sort(), images: await images() });
  /** A refused import leaves the images directory and the image list as they were. */
  const expectNothingLeft = async () => expect(await snapshot()).toEqual(baseline);

  beforeAll(async () => {
    await daemon.start();
    good = path.join(importDir, "good.img");
    buildTestImage(good, "exec /bin/sh"); // 8 MiB ext4
    fs.writeFileSync(path.join(importDir, "not-fs.img"), Buffer.alloc(4 * 1024 * 1024, 0x41));
    const truncated = fs.readFileSync(good).subarray(0, 3 * 1024 * 1024);
    fs.writeFileSync(path.join(importDir, "truncated.img"), truncated);
    fs.writeFileSync(path.join(daemon.dataDir, "secret.img"), fs.readFileSync(good));
    fs.symlinkSync(path.join(daemon.dataDir, "secret.img"), path.join(importDir, "escape.img"));
    baseline = await snapshot();
  });
  afterAll(() => daemon.cleanup());

  it("imports an ext4 file from the import directory with its checksum, read-only", async () => {
    const r = await daemon.api<ImageView>("POST", "/api/images/import", { name: "imported", path: "good.img" });
    expect(r.status).toBe(201);
    expect(r.body.sha256).toBe(sha256(good));
    expect(r.body.sizeBytes).toBe(fs.statSync(good).size);
    const file = path.join(imagesDir, "imported.img");
    expect(sha256(file)).toBe(sha256(good));
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(fs.existsSync(good)).toBe(true); // the source stays where it was
    const g = await daemon.createGuest("on-imported", { imageId: r.body.id });
    await daemon.startGuest(g.id);
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
    await daemon.api("DELETE", `/api/guests/${g.id}`);
    expect((await daemon.api("DELETE", `/api/images/${r.body.id}`)).status).toBe(204);
    await expectNothingLeft();
  });

  it.each([
    ["a file that is not a filesystem", "not-fs.img", 422, /not an ext2\/3\/4 filesystem image/],
    ["a truncated ext4 image", "truncated.img", 422, /truncated: its ext4 superblock says 8388608 bytes/],
    ["an absolute path", path.join(importDir, "good.img"), 422, /relative to the import directory/],
    ["a path through ..", "../secret.img", 422, /may not contain '\.\.'/],
    ["a symlink out of the import directory", "escape.img", 422, /resolves outside the import directory/],
    ["a file that is not there", "missing.img", 404, /no file "missing.img" in the import directory/],
  ])("refuses %s with a clear message and leaves nothing", async (_what, p, status, message) => {
    const r = await daemon.api("POST", "/api/images/import", { name: "refused", path: p });
    expect(r.status).toBe(status);
    const said = [r.body.error.message, ...Object.values(r.body.error.fields ?? {})].join(" ");
    expect(said).toMatch(message);
    await expectNothingLeft();
  });

  it("refuses a name that is taken or malformed", async () => {
    const taken = await daemon.api("POST", "/api/images/import", { name: "busybox", path: "good.img" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/already exists/);
    const bad = await daemon.api("POST", "/api/images/import", { name: "Bad Name", path: "good.img" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.name).toMatch(/lower-case/);
    await expectNothingLeft();
  });

  /** A raw upload, as the browser's XHR sends it. */
  const upload = (query: string, body: Buffer | null, headers: Record<string, string> = {}) =>
    fetch(`${daemon.url}/api/images/upload?${query}`, {
      method: "POST",
      headers: { origin: WEB_ORIGIN, cookie: "", "content-type": "application/octet-stream", ...headers },
      body: body ? new Uint8Array(body) : null,
    });

  it("streams an upload to disk and registers it with its checksum", async () => {
    const small = path.join(daemon.dataDir, "small.img");
    execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", "ext4", small, "1M"]);
    const bytes = fs.readFileSync(small);
    const res = await upload(`name=uploaded&size=${bytes.length}`, bytes, { cookie: await daemon.admin() });
    const body = (await res.json()) as ImageView;
    expect(res.status).toBe(201);
    expect(body.sha256).toBe(sha256(small));
    expect(fs.statSync(path.join(imagesDir, "uploaded.img")).size).toBe(bytes.length);
    expect((await daemon.api("DELETE", `/api/images/${body.id}`)).status).toBe(204);
    await expectNothingLeft();
  });

  it("refuses an oversize upload up front, and one that grows past the limit while streaming", async () => {
    const cookie = await daemon.admin();
    const big = Buffer.alloc(3 * 1024 * 1024);
    const announced = await upload(`name=too-big&size=${big.length}`, big, { cookie });
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as any).error.message).toMatch(/limited to 2 MiB \(CORRAL_UPLOAD_MAX_MIB\)/);
    await expectNothingLeft();

    // No size given, and no Content-Length (chunked): the limit is enforced as bytes arrive.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${daemon.url}/api/images/upload?name=too-big`, {
        method: "POST",
        headers: { origin: WEB_ORIGIN, cookie, "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => resolve(res.statusCode!));
      req.on("error", reject);
      for (let i = 0; i < 3; i++) req.write(Buffer.alloc(1024 * 1024));
      req.end();
    });
    expect(status).toBe(413);
    await expectNothingLeft();
  });

  it("says up front whether this host can build Debian images, as the build itself would", async () => {
    const host = await daemon.api<HostView>("GET", "/api/host");
    if (process.getuid?.() === 0) {
      expect(host.body.debianBuildsUnavailable).toBeNull(); // debian.int.test.ts builds for real
      return;
    }
    expect(host.body.debianBuildsUnavailable).toMatch(/needs root/);
    const r = await daemon.api("POST", "/api/images/debian", { name: "not-here", suite: "bookworm", sizeMiB: 1024 });
    expect(r.status).toBe(503);
    expect(r.body.error.message).toBe(host.body.debianBuildsUnavailable);
    await expectNothingLeft();
  });

  it("removes the partial file when the browser aborts an upload", async () => {
    const cookie = await daemon.admin();
    const req = http.request(`${daemon.url}/api/images/upload?name=aborted&size=${2 * 1024 * 1024}`, {
      method: "POST",
      headers: { origin: WEB_ORIGIN, cookie, "content-length": String(2 * 1024 * 1024) },
    });
    req.on("error", () => {});
    req.write(Buffer.alloc(512 * 1024));
    // The partial file exists while the upload runs…
    await waitFor("the partial upload", () => fs.readdirSync(imagesDir).some((f) => f.endsWith(".partial")), 60_000);
    req.destroy();
    // …and is gone once the connection drops.
    await waitFor("the partial upload to go", async () => {
      const s = await snapshot();
      return JSON.stringify(s) === JSON.stringify(baseline);
    });
  });

  it("refuses an upload that is not a filesystem, or shorter than it said", async () => {
    const cookie = await daemon.admin();
    const junk = Buffer.alloc(64 * 1024, 0x42);
    const notFs = await upload(`name=junk&size=${junk.length}`, junk, { cookie });
    expect(notFs.status).toBe(422);
    expect(((await notFs.json()) as any).error.message).toMatch(/not an ext2\/3\/4 filesystem/);
    const short = await upload(`name=short&size=${1024 * 1024}`, junk, { cookie });
    expect(short.status).toBe(422);
    expect(((await short.json()) as any).error.message).toMatch(/ended after 65536 of 1048576 bytes/);
    await expectNothingLeft();
  });
});
