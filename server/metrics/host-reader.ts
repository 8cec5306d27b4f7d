import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import { parseCpuTimes, parseMeminfo, parseProcStat, parsePssKiB, type CpuTimes, type ProcStat } from "./proc-text";

// Reads the host's procfs. Everything here reads files only: it never signals, waits for or
// otherwise touches a guest's processes, so sampling cannot disturb guest control.

export const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const PAGE_KIB = 4;
/** Files read between yields to the event loop while scanning /proc. */
const SCAN_SLICE = 64;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The members of each wanted process group. UML forks its helpers into the kernel's group,
 * so the group is the guest; scanning all of /proc finds helpers whatever spawned them.
 * Reads in slices, yielding between them, so consoles keep flowing during a scan.
 */
export async function readProcessGroups(pgids: ReadonlySet<number>): Promise<Map<number, ProcStat[]>> {
  const groups = new Map<number, ProcStat[]>();
  if (pgids.size === 0) return groups;
  const entries = fs.readdirSync("/proc");
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.charCodeAt(0) < 48 || e.charCodeAt(0) > 57) continue;
    if (i % SCAN_SLICE === 0) await yieldToLoop();
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${e}/stat`, "latin1");
    } catch {
      continue; // exited since readdir
    }
    const st = parseProcStat(text);
    if (!st || !pgids.has(st.pgrp)) continue;
    const list = groups.get(st.pgrp);
    if (list) list.push(st);
    else groups.set(st.pgrp, [st]);
  }
  return groups;
}

/**
 * Host memory a guest really holds, in KiB: the sum of its processes' PSS.
 *
 * Why PSS and not RSS: UML maps the guest's RAM (a sparse, deleted file in umlTmpDir) into
 * the kernel process and into every helper that runs guest userspace, and all guests map
 * the same linux.uml binary and libc. Summing RSS counts a guest-RAM page once per process
 * mapping it and the 10 MB binary once per guest. PSS splits each shared page among its
 * mappers, so over the group the guest's RAM counts exactly once and shared code only by
 * the guest's share. Untouched guest RAM is in no one's PSS: the backing file is sparse.
 * Pages the guest touched stay counted after it frees them — UML never returns them to
 * the host — which is the truth about host memory, and why "guest-reported used" exists.
 */
export async function readGroupPssKiB(members: ProcStat[]): Promise<number> {
  let sum = 0;
  for (const p of members) {
    let pss: number | null = null;
    try {
      pss = parsePssKiB(await readFile(`/proc/${p.pid}/smaps_rollup`, "latin1"));
    } catch {
      // Gone since the scan, or smaps_rollup unavailable (kernels before 4.14).
    }
    sum += pss ?? p.rssPages * PAGE_KIB;
  }
  return sum;
}

export interface HostReading {
  cpuCores: number;
  cpu: CpuTimes | null;
  memTotalKiB: number;
  memAvailableKiB: number;
  load1: number;
  diskFreeMiB: number;
  ramBackingFreeMiB: number;
  /** Seconds since the host booted: turns a process's start tick into an age. */
  uptimeS: number;
}

function freeMiB(dir: string): number {
  try {
    const st = fs.statfsSync(dir);
    return (st.bavail * st.bsize) / (1024 * 1024);
  } catch {
    return 0;
  }
}

export async function readHost(dataDir: string, umlTmpDir: string): Promise<HostReading> {
  const [meminfo, stat, uptime] = await Promise.all([
    readFile("/proc/meminfo", "latin1"),
    readFile("/proc/stat", "latin1"),
    readFile("/proc/uptime", "latin1"),
  ]);
  const mem = parseMeminfo(meminfo);
  const totalKiB = mem.MemTotal ?? os.totalmem() / 1024;
  return {
    cpuCores: os.cpus().length || 1,
    cpu: parseCpuTimes(stat),
    memTotalKiB: totalKiB,
    memAvailableKiB: mem.MemAvailable ?? mem.MemFree ?? os.freemem() / 1024,
    load1: os.loadavg()[0],
    diskFreeMiB: freeMiB(dataDir),
    ramBackingFreeMiB: freeMiB(umlTmpDir),
    uptimeS: Number(uptime.split(" ")[0]) || 0,
  };
}
