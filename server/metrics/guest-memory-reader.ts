import fs from "node:fs";
import { PAGE_KIB, readProcFile } from "./host-reader";
import { parsePssKiB, type ProcStat } from "./proc-text";

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

  /**
   * `members` is the kernel's process group, `leader` the kernel itself; `ramKiB` its
   * guestRamKiB if already read this tick.
   */
  hostMemKiB(leader: number, members: ProcStat[], ramKiB = this.guestRamKiB(leader)): number {
    if (ramKiB === null) return members.reduce((n, p) => n + pssKiB(p), 0);
    // Only the kernel has memory of its own: the helpers run guest userspace in guest RAM.
    const statm = readProcFile(`/proc/${leader}/statm`)?.split(" ");
    const anonPages = statm ? Math.max(0, Number(statm[1]) - Number(statm[2])) : 0;
    return ramKiB + anonPages * PAGE_KIB;
  }

  /** Forgets kernels that are gone. */
  retain(pids: ReadonlySet<number>): void {
    for (const pid of this.backing.keys()) if (!pids.has(pid)) this.backing.delete(pid);
  }

  /** The guest RAM a kernel has touched (its backing file's blocks: one stat), or null without one. */
  guestRamKiB(pid: number): number | null {
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
