import { describe, expect, it } from "vitest";
import { cgroupMemory, parseMemoryStat, payloadDirs } from "./cgroup-metrics";

describe("a context guest's cgroup", () => {
  it("is found beside its monitor's, in each controller's hierarchy", () => {
    const monitor = [
      "4:memory:/lxc.monitor.g1",
      "3:cpuset:/lxc.monitor.g1",
      "2:cpuacct:/lxc.monitor.g1",
      "1:cpu:/lxc.monitor.g1",
      "0::/lxc.monitor.g1",
    ].join("\n");
    expect(payloadDirs(monitor)).toEqual({
      payload: { memory: "/sys/fs/cgroup/memory/lxc.payload.g1", cpuacct: "/sys/fs/cgroup/cpuacct/lxc.payload.g1" },
      monitor: { memory: "/sys/fs/cgroup/memory/lxc.monitor.g1", cpuacct: "/sys/fs/cgroup/cpuacct/lxc.monitor.g1" },
    });
    // Co-mounted controllers and a monitor nested under the daemon's own cgroup (and LXC's `-1` suffix).
    const nested = "5:cpu,cpuacct:/corral/lxc.monitor.g1-1\n4:memory:/corral/lxc.monitor.g1-1\n";
    expect(payloadDirs(nested, "/cg")?.payload).toEqual({
      memory: "/cg/memory/corral/lxc.payload.g1-1",
      cpuacct: "/cg/cpu,cpuacct/corral/lxc.payload.g1-1",
    });
  });

  it("is not guessed before lxc-start has moved into its own", () => {
    expect(payloadDirs("4:memory:/process_api/abc\n2:cpuacct:/\n")).toBeNull();
    expect(payloadDirs("0::/lxc.monitor.g1\n")).toBeNull(); // cgroup v2 only: not read here
  });

  it("charges the working set: the container's memory less inactive file cache", () => {
    const stat = parseMemoryStat(
      [
        "cache 2097152",
        "rss 118784",
        "total_cache 2097152",
        "total_rss 118784",
        "total_inactive_file 368640",
        "hierarchical_memory_limit 67108864",
      ].join("\n"),
    );
    expect(cgroupMemory(2805760, stat, 8 * 1024 * 1024)).toEqual({
      hostMemKiB: (2805760 - 368640) / 1024,
      usedKiB: 116,
      totalKiB: 64 * 1024,
    });
    // No limit set: the host's memory is the most it can have.
    const unlimited = parseMemoryStat("total_rss 0\nhierarchical_memory_limit 9223372036854771712\n");
    expect(cgroupMemory(0, unlimited, 1024).totalKiB).toBe(1024);
  });
});
