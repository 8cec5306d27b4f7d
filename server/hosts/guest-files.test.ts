import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { buildManifest, manifestMismatch, manifestSchema, tarGuestFiles, untarInto } from "./guest-files";

const MiB = 2 ** 20;
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "corral-guest-files-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A guest directory: a sparse COW file with data at both ends, a boot log, an empty snapshots dir. */
function guestDir(): string {
  const dir = tmp();
  const fd = fs.openSync(path.join(dir, "root.cow"), "w");
  fs.writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, 0);
  fs.writeSync(fd, Buffer.alloc(4096, 9), 0, 4096, 64 * MiB);
  fs.closeSync(fd);
  fs.mkdirSync(path.join(dir, "boots"));
  fs.writeFileSync(path.join(dir, "boots", "1.cast"), '{}\n[0.1,"o","hi"]\n');
  fs.mkdirSync(path.join(dir, "snapshots"));
  return dir;
}

const streamed = (dir: string, manifest: Parameters<typeof tarGuestFiles>[1]) => {
  let bytes = 0;
  const s = tarGuestFiles(dir, manifest, (n) => (bytes += n));
  return { s, bytes: () => bytes };
};

describe("a guest's files on the way between hosts", () => {
  it("arrives byte-identical, holes kept as holes, empty directories too", async () => {
    const src = guestDir();
    const manifest = await buildManifest(src);
    expect(manifest.dirs).toEqual(["boots", "snapshots"]);
    expect(manifest.allocated).toBeLessThan(MiB);
    expect(manifest.files.map((f) => [f.path, f.size])).toEqual([
      ["boots/1.cast", 18],
      ["root.cow", 64 * MiB + 4096],
    ]);
    const dest = tmp();
    const { s, bytes } = streamed(src, manifest);
    await untarInto(dest, s);
    expect(manifestMismatch(manifest, await buildManifest(dest))).toBeNull();
    expect(fs.statSync(path.join(dest, "snapshots")).isDirectory()).toBe(true);
    // The COW file's 64 MiB hole neither travelled nor landed as data.
    expect(bytes()).toBeLessThan(MiB);
    expect(fs.statSync(path.join(dest, "root.cow")).blocks * 512).toBeLessThan(MiB);
  });

  it("names the file that differs, is missing, or was not sent", async () => {
    const src = guestDir();
    const manifest = await buildManifest(src);
    const other = structuredClone(manifest);
    other.files[1].size += 1;
    expect(manifestMismatch(other, manifest)).toMatch(/^root\.cow arrived with \d+ bytes, not \d+/);
    expect(manifestMismatch(manifest, { ...manifest, files: manifest.files.slice(1) })).toBe(
      "boots/1.cast did not arrive",
    );
    expect(manifestMismatch({ ...manifest, files: manifest.files.slice(1) }, manifest)).toBe(
      "boots/1.cast arrived but was not sent",
    );
  });

  it("fails the unpacking when the stream breaks off, rather than taking part of it for whole", async () => {
    const src = guestDir();
    const manifest = await buildManifest(src);
    const cut = new PassThrough();
    const { s } = streamed(src, manifest);
    // The first 700 bytes (a header and a little data), then the connection resets.
    s.once("data", (chunk: Buffer) => {
      cut.write(chunk.subarray(0, 700));
      s.destroy();
      setTimeout(() => cut.destroy(new Error("connection reset")), 50);
    });
    await expect(untarInto(tmp(), cut)).rejects.toThrow(/broke off|tar exited/);
  });

  it("refuses paths that leave the guest's directory", () => {
    const entry = { size: 1 };
    for (const p of ["../x", "/etc/passwd", "a/../../b", "a//b", "."])
      expect(manifestSchema.safeParse({ allocated: 1, dirs: [], files: [{ path: p, ...entry }] }).success, p).toBe(
        false,
      );
    expect(
      manifestSchema.safeParse({ allocated: 1, dirs: ["boots"], files: [{ path: "boots/1.cast", ...entry }] }).success,
    ).toBe(true);
  });
});
