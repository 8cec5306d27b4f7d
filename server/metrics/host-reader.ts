import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { yieldToLoop } from "./loop-slices";
import { parseCpuTimes, parseMeminfo, parseProcStat, procStatField, STAT_FIELD, type CpuTimes } from "./proc-text";
import type { ProcStat } from "./proc-text";

// Reads the host's procfs. Everything here reads files only: it never signals, waits for or
// otherwise touches a guest's processes, so sampling cannot disturb guest control. Reads
// are synchronous into one buffer: procfs answers from memory, and this is several times
// cheaper than readFile's promise and stat per file (measured: ~4 µs per /proc/<pid>/stat).

export const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export const PAGE_KIB = 4;
/** /proc entries read between yields to the event loop (about a millisecond's worth). */
const SCAN_SLICE = 256;
const buffer = Buffer.allocUnsafe(64 * 1024);

/** A small procfs file's text, or null if it is gone (the process exited). */
export function readProcFile(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    // A short read is the end: the procfs and cgroup files read here are seq_files, which
    // fill a read until they run out. Saves a read returning 0 per process on every tick.
    let n = 0;
    for (let want = buffer.length; want > 0; want = buffer.length - n) {
      const r = fs.readSync(fd, buffer, n, want, null);
      n += r;
      if (r < want) break;
    }
    return buffer.toString("latin1", 0, n);
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** One numeric field (STAT_FIELD) of a process's /proc/<pid>/stat; -1 if the process is gone. */
export function statField(pid: number | string, field: number): number {
  return procStatField(readProcFile(`/proc/${pid}/stat`) ?? "", field);
}

/**
 * The members of each wanted process group. UML forks its helpers into the kernel's group,
 * so the group is the guest; scanning all of /proc finds helpers whatever spawned them.
 */
export async function readProcessGroups(pgids: ReadonlySet<number>): Promise<Map<number, ProcStat[]>> {
  const groups = new Map<number, ProcStat[]>();
  if (pgids.size === 0) return groups;
  const entries = fs.readdirSync("/proc");
  for (let i = 0; i < entries.length; i++) {
    if (i % SCAN_SLICE === SCAN_SLICE - 1) await yieldToLoop();
    const e = entries[i];
    if (e.charCodeAt(0) < 48 || e.charCodeAt(0) > 57) continue;
    const text = readProcFile(`/proc/${e}/stat`);
    if (text === null || !pgids.has(procStatField(text, STAT_FIELD.group))) continue;
    const st = parseProcStat(text);
    if (!st) continue;
    const list = groups.get(st.pgrp);
    if (list) list.push(st);
    else groups.set(st.pgrp, [st]);
  }
  return groups;
}

/**
 * readProcessGroups, with a full scan of /proc only on every `fullEvery`th read, or when a
 * group has not been seen yet; between them, only the members the last scan found are
 * re-read. The full scan reads every process on the host, the guests' and everyone
 * else's: at hundreds of idle guests it was the sampler's largest cost.
 *
 * Hazard: a helper a guest spawns after a full scan is missed until the next one (at most
 * `fullEvery - 1` reads); its CPU is not lost but counted when it is found, since a
 * process's ticks are cumulative. A member that exits or whose pid now belongs to another
 * group is dropped at once (its group is checked on every read).
 */
export class ProcessGroupReader {
  private members = new Map<number, number[]>();
  private reads = 0;

  constructor(private readonly fullEvery = 6) {}

  async read(pgids: ReadonlySet<number>): Promise<Map<number, ProcStat[]>> {
    const full = this.reads++ % this.fullEvery === 0 || [...pgids].some((g) => !this.members.has(g));
    const groups = full ? await readProcessGroups(pgids) : await this.reread(pgids);
    this.members = new Map([...pgids].map((g) => [g, (groups.get(g) ?? []).map((m) => m.pid)]));
    return groups;
  }

  private async reread(pgids: ReadonlySet<number>): Promise<Map<number, ProcStat[]>> {
    const groups = new Map<number, ProcStat[]>();
    let n = 0;
    for (const pgid of pgids) {
      const list: ProcStat[] = [];
      for (const pid of this.members.get(pgid) ?? []) {
        if (++n % SCAN_SLICE === 0) await yieldToLoop();
        const text = readProcFile(`/proc/${pid}/stat`);
        const st = text === null ? null : parseProcStat(text);
        if (st && st.pgrp === pgid) list.push(st);
      }
      if (list.length) groups.set(pgid, list);
    }
    return groups;
  }
}

export interface HostReading {
  cpuCores: number;
  cpu: CpuTimes | null;
  memTotalKiB: number;
  memAvailableKiB: number;
  load1: number;
  diskFreeMiB: number;
  ramBackingFreeMiB: number;
  /** Seconds since the host booted: the clock of processes' start times. */
  uptimeS: number;
}

// Asynchronous: statfs on a network filesystem that stopped answering would hang the daemon.
async function freeMiB(dir: string): Promise<number> {
  try {
    const st = await fs.promises.statfs(dir);
    return (st.bavail * st.bsize) / (1024 * 1024);
  } catch {
    return 0;
  }
}

export async function readHost(dataDir: string, umlTmpDir: string): Promise<HostReading> {
  const [diskFreeMiB, ramBackingFreeMiB] = await Promise.all([freeMiB(dataDir), freeMiB(umlTmpDir)]);
  const mem = parseMeminfo(readProcFile("/proc/meminfo") ?? "");
  const stat = readProcFile("/proc/stat") ?? "";
  const cores = stat.match(/^cpu\d+ /gm)?.length;
  return {
    cpuCores: cores || os.availableParallelism(),
    cpu: parseCpuTimes(stat),
    memTotalKiB: mem.MemTotal ?? os.totalmem() / 1024,
    memAvailableKiB: mem.MemAvailable ?? mem.MemFree ?? os.freemem() / 1024,
    load1: os.loadavg()[0],
    diskFreeMiB,
    ramBackingFreeMiB,
    uptimeS: Number(readProcFile("/proc/uptime")?.split(" ")[0]) || 0,
  };
}
