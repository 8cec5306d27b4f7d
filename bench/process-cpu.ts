// CPU time spent by a tree of processes while measured, sampled from /proc: every process
// ever seen below one of the roots counts with the last CPU time read for it, less what it
// had spent when measuring began. A process that lives shorter
// than one sampling interval is missed, as is the time between its last sample and its exit
// (at most one interval each); UML's helpers and slirp4netns live as long as their guest.
import fs from "node:fs";
import { CLOCK_TICKS_PER_SECOND } from "../server/metrics/host-reader";
import { parseCpuTimes } from "../server/metrics/proc-text";

interface Stat {
  name: string;
  ppid: number;
  cpuTicks: number;
  /** Start time in ticks since boot: a pid reused by a new process is a new process. */
  start: string;
}

function readStat(pid: string): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The name (field 2) may hold spaces and parentheses: split after its last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const name = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
  return { name, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]), start: fields[19] };
}

export class ProcessTreeCpu {
  private readonly seen = new Map<string, { name: string; ticks: number }>();
  /** The processes below the roots at the last sample. */
  live: number[] = [];
  /** CPU already spent when measuring began, by process: not counted. */
  private readonly before = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly roots: () => number[],
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.sample();
    for (const [key, p] of this.seen) this.before.set(key, p.ticks);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Takes a last sample and returns the CPU seconds of every process seen. */
  stop(): number {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.seconds();
  }

  seconds(): number {
    let ticks = 0;
    for (const [key, p] of this.seen) ticks += p.ticks - (this.before.get(key) ?? 0);
    return ticks / CLOCK_TICKS_PER_SECOND;
  }

  /** CPU seconds by process name (the daemon and keeper are both "node"), most first. */
  byName(): Array<[string, number]> {
    const sums = new Map<string, number>();
    for (const [key, p] of this.seen) {
      const spent = (p.ticks - (this.before.get(key) ?? 0)) / CLOCK_TICKS_PER_SECOND;
      sums.set(p.name, (sums.get(p.name) ?? 0) + spent);
    }
    return [...sums].sort((a, b) => b[1] - a[1]);
  }

  /** CPU seconds of one process while measured. */
  secondsOf(pid: number): number {
    let ticks = 0;
    for (const [key, p] of this.seen) if (key.startsWith(`${pid}:`)) ticks += p.ticks - (this.before.get(key) ?? 0);
    return ticks / CLOCK_TICKS_PER_SECOND;
  }

  /** How many distinct processes were seen below the roots. */
  get processes(): number {
    return this.seen.size;
  }

  sample(): void {
    const stats = new Map<number, Stat>();
    for (const name of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const stat = readStat(name);
      if (stat) stats.set(Number(name), stat);
    }
    const verdict = new Map<number, boolean>(this.roots().map((pid) => [pid, true]));
    const below = (pid: number): boolean => {
      const path: number[] = [];
      let p = pid;
      while (p > 1 && !verdict.has(p) && path.length < 64) {
        path.push(p);
        p = stats.get(p)?.ppid ?? 0;
      }
      const hit = verdict.get(p) ?? false;
      for (const q of path) verdict.set(q, hit);
      return hit;
    };
    this.live = [...stats.keys()].filter(below);
    for (const pid of this.live) {
      const stat = stats.get(pid)!;
      this.seen.set(`${pid}:${stat.start}`, { name: stat.name, ticks: stat.cpuTicks });
    }
  }
}

/**
 * CPU seconds the whole host has worked (not idle, I/O wait or steal), from /proc/stat. Counts
 * what a sampled tree misses — processes shorter than its interval, kernel threads (a network
 * namespace's teardown), softirqs — and anything else the machine runs meanwhile.
 */
export function hostBusySeconds(): number {
  const cpu = parseCpuTimes(fs.readFileSync("/proc/stat", "utf8"));
  if (!cpu) throw new Error("/proc/stat has no cpu line");
  return (cpu.busy - cpu.steal) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Memory the processes hold, in MiB: the sum of their proportional set sizes (a page shared
 * by k of them counts 1/k to each), which includes the guests' memory files they map.
 */
export function pssMiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const m = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
      if (m) kib += Number(m[1]);
    } catch {
      // gone meanwhile
    }
  }
  return kib / 1024;
}
