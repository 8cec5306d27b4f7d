import { describe, expect, it } from "vitest";
import { buildKernelArgv, inUserNetns, type KernelSpec } from "./argv";

const spec: KernelSpec = {
  umid: "g1",
  runDir: "/run/corral",
  cowPath: "/data/guests/g1/root.cow",
  imagePath: "/data/images/busybox.img",
  memoryMiB: 64,
  notifySocket: "/run/corral/g1.notify",
  extraArgs: [],
};

describe("buildKernelArgv", () => {
  it("puts the COW over the image and the console on the pty", () => {
    const argv = buildKernelArgv(spec);
    expect(argv).toContain("ubd0=/data/guests/g1/root.cow,/data/images/busybox.img");
    expect(argv).toContain("mem=64M");
    expect(argv).toContain("con0=fd:0,fd:1");
    expect(argv).toContain("con=null");
    expect(argv).toContain("umid=g1");
    expect(argv).toContain("mconsole=notify:/run/corral/g1.notify");
    // Half a busybox boot's time and CPU went to timing RAID-6 routines no guest uses.
    expect(argv).toContain("initcall_blacklist=raid6_init,raid6_select_algo");
  });

  it("appends allow-listed extra arguments, each as its own element", () => {
    const argv = buildKernelArgv({ ...spec, extraArgs: ["quiet", "loglevel=3"] });
    expect(argv.slice(-2)).toEqual(["quiet", "loglevel=3"]);
  });

  it.each(["ubd1=/etc/shadow", "con0=fd:0,fd:1", "quiet ubd1=/etc/passwd", "init=/bin/sh", "mem=4G", "loglevel=9", ""])(
    "refuses %j",
    (arg) => {
      expect(() => buildKernelArgv({ ...spec, extraArgs: [arg] })).toThrow(/not allowed/);
    },
  );

  it("adds the seed disk read-only, the network device and the hostname when asked", () => {
    const argv = buildKernelArgv({
      ...spec,
      seedPath: "/data/guests/g1/seed.img",
      network: { tap: "uml0" },
      hostname: "web-1",
    });
    expect(argv).toContain("ubd1r=/data/guests/g1/seed.img");
    expect(argv).toContain("vec0:transport=tap,ifname=uml0");
    expect(argv).toContain("systemd.hostname=web-1");
    expect(() => buildKernelArgv({ ...spec, hostname: "x ubd1=/etc/shadow" })).toThrow(/invalid hostname/);
    const bridged = buildKernelArgv({ ...spec, network: { tap: "ct-abc", mac: "52:54:00:aa:bb:cc" } });
    expect(bridged).toContain("vec0:transport=tap,ifname=ct-abc,mac=52:54:00:aa:bb:cc");
    expect(() => buildKernelArgv({ ...spec, network: { tap: "x,transport=raw" } })).toThrow(/invalid network device/);
  });

  it("launches a networked kernel in its own user and network namespace, keeping argv an array", () => {
    const { binary, argv } = inUserNetns("/k/linux.uml", ["mem=64M"], "/p/scripts/guest-netns.sh");
    expect(binary).toBe("unshare");
    expect(argv).toEqual([
      "--user",
      "--map-root-user",
      "--net",
      "--",
      "/p/scripts/guest-netns.sh",
      "/k/linux.uml",
      "mem=64M",
    ]);
  });

  it("refuses a memory size that is not a positive integer", () => {
    expect(() => buildKernelArgv({ ...spec, memoryMiB: 0 })).toThrow();
    expect(() => buildKernelArgv({ ...spec, memoryMiB: 1.5 })).toThrow();
  });
});
