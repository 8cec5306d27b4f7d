import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { parseCpuTimes, parseMeminfo, parseProcStat, parsePssKiB, procStatGroup, type CpuTimes } from "./proc-text";
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

const PAGE_KIB = 4;
/** /proc entries read between yields to the event loop (about a millisecond's worth). */
const SCAN_SLICE = 256;
const buffer = Buffer.allocUnsafe(64 * 1024);

/** A small procfs file's text, or null if it is gone (the process exited). */
export function readProcFile(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    let n = 0;
    for (let r; n < buffer.length && (r = fs.readSync(fd, buffer, n, buffer.length - n, null)) > 0; ) n += r;
    return buffer.toString("latin1", 0, n);
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
    if (text === null || !pgids.has(procStatGroup(text))) continue;
    const st = parseProcStat(text);
    if (!st) continue;
    const list = groups.get(st.pgrp);
    if (list) list.push(st);
    else groups.set(st.pgrp, [st]);
  }
  return groups;
}

/**
 * Host memory a guest holds, in KiB: the guest RAM it has touched plus the private memory
 * of its processes.
 *
 * UML backs guest RAM with a sparse, deleted file in umlTmpDir, mapped into the kernel
 * process and into every helper that runs guest userspace. Summing RSS over the group
 * counts each touched page once per process mapping it, and the linux.uml binary (~10 MB,
 * one copy in the page cache for all guests) once per guest. PSS splits shared pages fairly
 * but makes the host walk every page table (~0.2 ms per process, 30 ms a tick at 50
 * guests). The backing file's allocated blocks are exactly the touched guest RAM, counted
 * once, from one stat; the processes' own memory is their anonymous RSS (statm). Code
 * shared by all guests is left out: it costs the host the same for one guest or fifty.
 * Touched pages stay allocated after the guest frees them — UML never gives them back —
 * which is the truth about host memory, and why the guest-reported figure exists too.
 * PSS is the fallback for a kernel with no backing file found.
 */
export class GuestMemoryReader {
  /** Per kernel pid, the /proc/<pid>/fd entries of its RAM backing files. */
  private readonly backing = new Map<number, string[]>();
  /** As the kernel's fd links name it: symlinks resolved. */
  private readonly umlTmpDir: string;

  constructor(umlTmpDir: string) {
    this.umlTmpDir = realPath(umlTmpDir);
  }

  hostMemKiB(leader: number, members: ProcStat[]): number {
    let backing = this.backingKiB(leader);
    if (backing === null) return members.reduce((n, p) => n + pssKiB(p), 0);
    for (const p of members) {
      const statm = readProcFile(`/proc/${p.pid}/statm`)?.split(" ");
      if (statm) backing += Math.max(0, Number(statm[1]) - Number(statm[2])) * PAGE_KIB;
    }
    return backing;
  }

  /** Forgets kernels that are gone. */
  retain(pids: ReadonlySet<number>): void {
    for (const pid of this.backing.keys()) if (!pids.has(pid)) this.backing.delete(pid);
  }

  private isBacking(link: string): boolean {
    return link.startsWith(this.umlTmpDir + "/") && link.endsWith(" (deleted)");
  }

  private backingKiB(pid: number): number | null {
    let fds = this.backing.get(pid);
    // The same fd can point elsewhere after the guest reboots (UML re-executes itself).
    if (!fds || !fds.every((fd) => this.isBacking(readLink(fd)))) {
      fds = findBackingFds(pid, (link) => this.isBacking(link));
      this.backing.set(pid, fds);
    }
    if (!fds.length) return null;
    let kib = 0;
    for (const fd of fds) {
      try {
        kib += fs.statSync(fd).blocks / 2;
      } catch {
        return null;
      }
    }
    return kib;
  }
}

function realPath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

function readLink(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return "";
  }
}

function findBackingFds(pid: number, isBacking: (link: string) => boolean): string[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/fd`)
      .map((fd) => `/proc/${pid}/fd/${fd}`)
      .filter((fd) => isBacking(readLink(fd)));
  } catch {
    return [];
  }
}

function pssKiB(p: ProcStat): number {
  const text = readProcFile(`/proc/${p.pid}/smaps_rollup`);
  return (text === null ? null : parsePssKiB(text)) ?? p.rssPages * PAGE_KIB;
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

function freeMiB(dir: string): number {
  try {
    const st = fs.statfsSync(dir);
    return (st.bavail * st.bsize) / (1024 * 1024);
  } catch {
    return 0;
  }
}

export function readHost(dataDir: string, umlTmpDir: string): HostReading {
  const mem = parseMeminfo(readProcFile("/proc/meminfo") ?? "");
  const stat = readProcFile("/proc/stat") ?? "";
  const cores = stat.match(/^cpu\d+ /gm)?.length;
  return {
    cpuCores: cores || os.availableParallelism(),
    cpu: parseCpuTimes(stat),
    memTotalKiB: mem.MemTotal ?? os.totalmem() / 1024,
    memAvailableKiB: mem.MemAvailable ?? mem.MemFree ?? os.freemem() / 1024,
    load1: os.loadavg()[0],
    diskFreeMiB: freeMiB(dataDir),
    ramBackingFreeMiB: freeMiB(umlTmpDir),
    uptimeS: Number(readProcFile("/proc/uptime")?.split(" ")[0]) || 0,
  };
}
