import os from "node:os";
import path from "node:path";
import type { GuestMetrics, GuestUsage, MeteredGuest } from "../drivers/guest-driver";
import { CLOCK_TICKS_PER_SECOND, readProcFile } from "../metrics/host-reader";
import { parseProcStat } from "../metrics/proc-text";

// Context guests' metrics from their cgroups (cgroup v1, one hierarchy per controller, as on
// this host): LXC puts the container's processes in `lxc.payload.<name>` beside the cgroup of
// its monitor (`lxc.monitor.<name>`, the lxc-start the keeper holds), wherever that sits. The
// guest's host cost is both: the container and the process that keeps it, as a UML guest's
// is its kernel and helpers.

/** A cgroup's folder in the memory and in the cpuacct hierarchy. */
export interface CgroupPair {
  memory: string;
  cpuacct: string;
}

/** The container's cgroup and its monitor's. */
export interface CgroupDirs {
  payload: CgroupPair;
  monitor: CgroupPair;
}

/**
 * The cgroup folders from the monitor's /proc/<pid>/cgroup, or null while the monitor has not
 * moved into its own cgroup yet (or the host has no v1 memory/cpuacct).
 */
export function payloadDirs(procCgroup: string, root = "/sys/fs/cgroup"): CgroupDirs | null {
  const payload: Partial<CgroupPair> = {};
  const monitor: Partial<CgroupPair> = {};
  for (const line of procCgroup.split("\n")) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const controllers = m[1].split(",");
    const parts = m[2].split("/");
    const leaf = parts[parts.length - 1];
    if (!leaf.startsWith("lxc.monitor.")) continue;
    const own = path.join(root, m[1], ...parts);
    const guest = path.join(root, m[1], ...parts.slice(0, -1), "lxc.payload." + leaf.slice("lxc.monitor.".length));
    for (const c of ["memory", "cpuacct"] as const) {
      if (!controllers.includes(c)) continue;
      monitor[c] = own;
      payload[c] = guest;
    }
  }
  return payload.memory && payload.cpuacct ? { payload: payload as CgroupPair, monitor: monitor as CgroupPair } : null;
}

/** `memory.stat`'s counters, in bytes. */
export function parseMemoryStat(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const [key, value] = line.split(" ");
    if (key && value !== undefined) out[key] = Number(value);
  }
  return out;
}

export interface CgroupMemory {
  /** What the container holds of host memory: its charge less file cache the kernel can drop at once. */
  hostMemKiB: number;
  /** Its processes' anonymous memory: what a `free` of its own would call used (tmpfs and cache excluded). */
  usedKiB: number;
  /** What it may use: its memory limit, at most the host's memory. */
  totalKiB: number;
}

/**
 * Memory from `memory.usage_in_bytes` and `memory.stat`. The working set (charge minus
 * inactive file cache) is what container tools report as a container's memory use; active
 * cache and tmpfs stay in, as they are not free to take back.
 */
export function cgroupMemory(usageBytes: number, stat: Record<string, number>, hostTotalKiB: number): CgroupMemory {
  const inactiveFile = stat.total_inactive_file ?? stat.inactive_file ?? 0;
  const limit = stat.hierarchical_memory_limit ?? Infinity;
  return {
    hostMemKiB: Math.max(0, usageBytes - inactiveFile) / 1024,
    usedKiB: (stat.total_rss ?? stat.rss ?? 0) / 1024,
    totalKiB: Math.min(limit / 1024, hostTotalKiB),
  };
}

/**
 * Reads each context guest's cgroups, its container's and its monitor's: CPU from
 * `cpuacct.usage` (nanoseconds, counted by the kernel for every process in the cgroup since it
 * was made), host memory from the memory controller. What the guest "says of itself" is its
 * container's alone. Load is the host's for a container (one kernel): no figure of its own.
 */
export class CgroupMetrics implements GuestMetrics {
  /** Per monitor pid: its container's cgroup folders (they do not move while it lives). */
  private readonly dirs = new Map<number, CgroupDirs>();

  constructor(private readonly root = "/sys/fs/cgroup") {}

  async read(guests: MeteredGuest[]): Promise<Map<string, GuestUsage>> {
    const out = new Map<string, GuestUsage>();
    const hostTotalKiB = os.totalmem() / 1024;
    for (const g of guests) {
      const usage = this.readOne(g, hostTotalKiB);
      if (usage) out.set(g.id, usage);
    }
    const live = new Set(guests.map((g) => g.pid));
    for (const pid of this.dirs.keys()) if (!live.has(pid)) this.dirs.delete(pid);
    return out;
  }

  private readOne(g: MeteredGuest, hostTotalKiB: number): GuestUsage | null {
    const monitor = parseProcStat(readProcFile(`/proc/${g.pid}/stat`) ?? "");
    if (!monitor) return null; // ended since the database was read
    let dirs = this.dirs.get(g.pid);
    if (!dirs) {
      const found = payloadDirs(readProcFile(`/proc/${g.pid}/cgroup`) ?? "", this.root);
      if (!found) return null; // lxc-start has not made the container's cgroups yet
      this.dirs.set(g.pid, (dirs = found));
    }
    const guest = readCgroup(dirs.payload, hostTotalKiB);
    const keeper = readCgroup(dirs.monitor, hostTotalKiB);
    // Gone between the reads: the container ended (LXC removes its cgroups).
    if (!guest || !keeper) return null;
    const mem = guest.memory;
    return {
      cpuSeconds: guest.cpuSeconds + keeper.cpuSeconds,
      sinceS: monitor.startTicks / CLOCK_TICKS_PER_SECOND,
      origin: g.pid,
      hostMemKiB: mem.hostMemKiB + keeper.memory.hostMemKiB,
      report: g.running ? { memTotalKiB: mem.totalKiB, memUsedKiB: mem.usedKiB, load1: null } : null,
    };
  }
}

/** One cgroup's CPU seconds and memory; null when it is gone. */
function readCgroup(dirs: CgroupPair, hostTotalKiB: number): { cpuSeconds: number; memory: CgroupMemory } | null {
  const cpuNs = readNumber(path.join(dirs.cpuacct, "cpuacct.usage"));
  const usage = readNumber(path.join(dirs.memory, "memory.usage_in_bytes"));
  const stat = readProcFile(path.join(dirs.memory, "memory.stat"));
  if (!Number.isFinite(cpuNs) || !Number.isFinite(usage) || stat === null) return null;
  return { cpuSeconds: cpuNs / 1e9, memory: cgroupMemory(usage, parseMemoryStat(stat), hostTotalKiB) };
}

/** A one-number cgroup file; NaN when it is gone. */
function readNumber(file: string): number {
  const text = readProcFile(file)?.trim();
  return text ? Number(text) : NaN;
}
