import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { containerConfig } from "./container-config";
import { probeContextSupport, rootRanges, sharedRange } from "./host-support";
import { contextPaths } from "./lxc-paths";

describe("subordinate id ranges", () => {
  it("reads root's ranges and ignores other users and junk", () => {
    expect(rootRanges("alice:100000:65536\nroot:200000:655360\n# x\nroot:bad:1\n")).toEqual([
      { start: 200000, count: 655360 },
    ]);
  });

  it("needs a range of at least one guest in both files", () => {
    expect(sharedRange("root:100000:65536000\n", "root:100000:65536000\n")).toEqual({ start: 100000, count: 65536000 });
    expect(sharedRange("root:100000:65536000\n", "")).toBeNull();
    expect(sharedRange("root:100000:1000\n", "root:100000:1000\n")).toBeNull();
  });
});

describe("probeContextSupport", () => {
  it("says what is missing and how to install it on a host without LXC", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "corral-nolxc-"));
    try {
      const s = probeContextSupport("/nonexistent", empty);
      expect(s.available).toBe(false);
      if (!s.available) expect(s.reason).toMatch(/lxc-start[\s\S]*scripts\/setup\.sh|as root/);
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});

describe("containerConfig", () => {
  const settings = {
    name: "g1",
    hostname: "web 1",
    uidBase: 165536,
    lower: "/d/contexts/images/abc.idmapped",
    paths: contextPaths("/d", "g1"),
    memoryMiB: 64,
    pidsMax: 100,
    cpuShares: 512,
    hooksDir: "/p/scripts/lxc-hooks",
    holdInit: false,
    init: "other" as const,
  };

  it("maps the guest's range, layers its upper folder over the image and sets its limits", () => {
    const text = containerConfig(settings);
    expect(text).toContain("lxc.idmap = u 0 165536 65536\n");
    expect(text).toContain("lxc.idmap = g 0 165536 65536\n");
    expect(text).toContain("lxc.rootfs.path = overlay:/d/contexts/images/abc.idmapped:/d/guests/g1/upper\n");
    expect(text).toContain("lxc.cgroup.memory.limit_in_bytes = 64M\n");
    expect(text).toContain("lxc.net.0.type = empty\n");
    expect(text).toContain("lxc.uts.name = web-1\n");
  });

  it("binds the seed read-only and holds init for a network only when asked", () => {
    const none = containerConfig(settings);
    expect(none).toContain(
      "lxc.mount.entry = /d/guests/g1/seed mnt/seed none bind,ro,nodev,nosuid,noexec,create=dir 0 0\n",
    );
    expect(none).not.toContain("start-host");
    const user = containerConfig({ ...settings, holdInit: true });
    expect(user).toContain("lxc.hook.start-host = /p/scripts/lxc-hooks/start-host\n");
    // slirp4netns adds the interface into the container's own, otherwise empty, namespace.
    expect(user).toContain("lxc.net.0.type = empty\n");
  });

  it("stops each init with its own power-off signal", () => {
    expect(containerConfig(settings)).toContain("lxc.signal.halt = SIGPWR\n");
    expect(containerConfig({ ...settings, init: "systemd" })).toContain("lxc.signal.halt = SIGRTMIN+4\n");
  });

  it("refuses a value that would break a line", () => {
    expect(() => containerConfig({ ...settings, lower: "/x\nlxc.idmap = u 0 0 1" })).toThrow(/may not break/);
  });
});
