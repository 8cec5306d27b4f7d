import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyShiftedLayer } from "./layer-copy";

const FROM = 300000;
const TO = 400000;

// Real files, owners and device nodes: needs root (as the daemon does).
describe.skipIf(process.getuid?.() !== 0)("copyShiftedLayer", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-copy-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A layer as a guest leaves it: a whiteout, a hard link, a symlink out, a set-uid file, a user's folder. */
  function makeLayer(src: string) {
    fs.mkdirSync(path.join(src, "etc/sub"), { recursive: true });
    fs.writeFileSync(path.join(src, "etc/f"), "data");
    fs.linkSync(path.join(src, "etc/f"), path.join(src, "etc/f-link"));
    fs.symlinkSync("/etc/passwd", path.join(src, "out"));
    execFileSync("mknod", [path.join(src, "etc/gone"), "c", "0", "0"]);
    fs.writeFileSync(path.join(src, "suid"), "");
    fs.mkdirSync(path.join(src, "home"));
    execFileSync("chown", ["-R", "--no-dereference", `${FROM}:${FROM}`, src]);
    fs.chownSync(path.join(src, "home"), FROM + 1000, FROM + 1001);
    fs.chmodSync(path.join(src, "suid"), 0o4755);
  }

  it("moves every owner to the other range, keeping whiteouts, links and modes", async () => {
    const src = path.join(dir, "src");
    const dest = path.join(dir, "dest");
    makeLayer(src);
    const passwd = fs.statSync("/etc/passwd");
    await copyShiftedLayer(src, dest, FROM, TO, path.join(dir, "scratch"));

    const st = (p: string) => fs.lstatSync(path.join(dest, p));
    for (const p of [".", "etc", "etc/f", "etc/gone", "out", "suid"])
      expect([p, st(p).uid, st(p).gid]).toEqual([p, TO, TO]);
    expect([st("home").uid, st("home").gid]).toEqual([TO + 1000, TO + 1001]);
    expect(st("etc/gone").isCharacterDevice() && st("etc/gone").rdev).toBe(0);
    expect(st("etc/f-link").ino).toBe(st("etc/f").ino);
    expect(st("out").isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(dest, "out"))).toBe("/etc/passwd");
    expect(st("suid").mode & 0o7777).toBe(0o4755);
    // The source is untouched, and nothing outside the layer was followed or changed.
    expect(fs.lstatSync(path.join(src, "etc/f")).uid).toBe(FROM);
    expect(fs.statSync("/etc/passwd")).toMatchObject({ uid: passwd.uid, gid: passwd.gid, mode: passwd.mode });
    expect(fs.existsSync(path.join(dir, "scratch"))).toBe(false);
  });

  it("refuses a file outside the source's range, leaving nothing behind", async () => {
    const src = path.join(dir, "src");
    const dest = path.join(dir, "dest");
    makeLayer(src);
    fs.chownSync(path.join(src, "etc/f"), 0, 0);
    await expect(copyShiftedLayer(src, dest, FROM, TO, path.join(dir, "scratch"))).rejects.toThrow(
      /\/etc\/f\) owned by host ids 0:0, outside its own range 300000–365535/,
    );
    expect(fs.existsSync(dest)).toBe(false);
    expect(fs.existsSync(path.join(dir, "scratch"))).toBe(false);
  });
});
