import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detectGuestInit, resolveInLayers } from "./guest-init";

describe("detectGuestInit / resolveInLayers", () => {
  let dir: string;
  let upper: string;
  let lower: string;
  const link = (root: string, file: string, target: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.symlinkSync(target, path.join(root, file));
  };
  const put = (root: string, file: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), "");
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-init-"));
    upper = path.join(dir, "upper");
    lower = path.join(dir, "lower");
    fs.mkdirSync(upper);
    fs.mkdirSync(lower);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Debian 12's layout: merged /usr, and init an absolute link that must resolve inside the root. */
  const debian = () => {
    link(lower, "sbin", "usr/sbin");
    link(lower, "lib", "usr/lib");
    link(lower, "usr/sbin/init", "/lib/systemd/systemd");
    put(lower, "usr/lib/systemd/systemd");
  };

  it("follows Debian's links inside the root to systemd", async () => {
    debian();
    expect(await resolveInLayers([upper, lower], "/sbin/init")).toBe("/usr/lib/systemd/systemd");
    expect(await detectGuestInit([upper, lower])).toBe("systemd");
  });

  it("finds busybox init as another init", async () => {
    put(lower, "bin/busybox");
    link(lower, "sbin/init", "../bin/busybox");
    expect(await resolveInLayers([upper, lower], "/sbin/init")).toBe("/bin/busybox");
    expect(await detectGuestInit([upper, lower])).toBe("other");
  });

  it("lets the guest's own layer override the image's init", async () => {
    debian();
    put(upper, "usr/lib/sysvinit/init");
    link(upper, "usr/sbin/init", "/lib/sysvinit/init");
    expect(await detectGuestInit([upper, lower])).toBe("other");
    expect(await detectGuestInit([lower])).toBe("systemd");
  });

  it.skipIf(process.getuid?.() !== 0)("treats an overlay whiteout as deleted", async () => {
    debian();
    fs.mkdirSync(path.join(upper, "usr/sbin"), { recursive: true });
    execFileSync("mknod", [path.join(upper, "usr/sbin/init"), "c", "0", "0"]);
    expect(await resolveInLayers([upper, lower], "/sbin/init")).toBeNull();
    expect(await detectGuestInit([upper, lower])).toBe("other");
  });

  it("gives up on a missing file and on a link loop", async () => {
    expect(await resolveInLayers([upper, lower], "/sbin/init")).toBeNull();
    link(lower, "sbin/init", "/sbin/loop");
    link(lower, "sbin/loop", "/sbin/init");
    expect(await resolveInLayers([upper, lower], "/sbin/init")).toBeNull();
    expect(await detectGuestInit([upper, lower])).toBe("other");
  });
});
