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
    for (let r; n < buffer.length && (r = fs.readSync(fd, buffer, n, buffer.length - n, null)) > 0;) n += r;
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

/**
 * Host memory a guest holds, in KiB: the guest RAM it has touched plus the private memory
 * of its processes.
 *
 * UML backs guest RAM with a sparse, deleted file in umlTmpDir, mapped into the kernel
 * process and into every helper that runs guest userspace. Summing RSS over the group
 * counts each touched page once per process mapping it, and the linux.uml binary (~10 MB,
 * one copy in the page cache for all guests) once per guest. PSS splits shared pages fairly
 * but makes the host walk every page table (measured here: ~0.2 ms per process, ~30 ms
 * a tick at 50 guests). The backing file's allocated blocks are exactly the touched guest RAM, counted
 * once, from one stat; the kernel's own memory is its anonymous RSS (statm). Code
 * shared by all guests is left out: it costs the host the same for one guest or fifty.
 * Touched pages stay allocated after the guest frees them — UML never gives them back —
 * which is the truth about host memory, and why the guest-reported figure exists too.
 * PSS is the fallback for a kernel with no backing file found.
 */
export class GuestMemoryReader {
  /** Per kernel pid, the /proc/<pid>/fd entries of its RAM backing files. */
  private readonly backing = new Map<number, string[]>();
  /** As the kernel's fd links name it, symlinks resolved; and its filesystem. */
  private readonly umlTmpDir: string;
  private readonly tmpDev: number;

  constructor(umlTmpDir: string) {
    this.umlTmpDir = realPath(umlTmpDir);
    this.tmpDev = statOrNull(this.umlTmpDir)?.dev ?? -1;
  }

  /** `members` is the kernel's process group, `leader` the kernel itself. */
  hostMemKiB(leader: number, members: ProcStat[]): number {
    const backing = this.backingKiB(leader);
    if (backing === null) return members.reduce((n, p) => n + pssKiB(p), 0);
    // Only the kernel has memory of its own: the helpers run guest userspace in guest RAM.
    const statm = readProcFile(`/proc/${leader}/statm`)?.split(" ");
    const anonPages = statm ? Math.max(0, Number(statm[1]) - Number(statm[2])) : 0;
    return backing + anonPages * PAGE_KIB;
  }

  /** Forgets kernels that are gone. */
  retain(pids: ReadonlySet<number>): void {
    for (const pid of this.backing.keys()) if (!pids.has(pid)) this.backing.delete(pid);
  }

  private backingKiB(pid: number): number | null {
    const cached = this.backing.get(pid);
    if (cached) {
      const kib = this.allocatedKiB(cached);
      if (kib !== null) return kib;
    }
    // First sight, or the fds changed: UML re-executes itself when the guest reboots.
    // Hazard: a kernel just (re-)executed has no backing file yet. Caching that empty list
    // would read as 0 KiB of guest RAM for the rest of the process's life, so only a found
    // file is cached; until then each read looks again (and PSS answers).
    const fds = findBackingFds(pid, (link) => link.startsWith(this.umlTmpDir + "/") && link.endsWith(" (deleted)"));
    if (!fds.length) {
      this.backing.delete(pid);
      return null;
    }
    this.backing.set(pid, fds);
    return this.allocatedKiB(fds);
  }

  /** Allocated KiB of the files behind `fds`; null unless each is still a deleted file in umlTmpDir. */
  private allocatedKiB(fds: string[]): number | null {
    let kib = 0;
    for (const fd of fds) {
      const st = statOrNull(fd);
      if (!st || st.nlink !== 0 || st.dev !== this.tmpDev) return null;
      kib += st.blocks / 2;
    }
    return kib;
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
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
