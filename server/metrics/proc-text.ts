// Parsers for the text formats of procfs, the host's and (through mconsole) a guest's.
// Pure: the readers hand them file contents.

export interface ProcStat {
  pid: number;
  pgrp: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
  /** When the process started, in clock ticks after the host booted. */
  startTicks: number;
  rssPages: number;
}

/**
 * Fields of /proc/<pid>/stat, counted from 0 after the command's closing parenthesis. The
 * command name may itself hold spaces and ')', so counting starts at the last ')'.
 */
export const STAT_FIELD = { parent: 1, group: 2, session: 3 } as const;
// 2 pgrp, 11–14 times, 19 start, 21 rss.
const PARSED_FIELDS = [2, 11, 12, 13, 14, 19, 21];

/**
 * One line of /proc/<pid>/stat. Read in place: this runs for every process of every guest
 * on every tick, and a split made ~50 strings.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf(" (");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const got: number[] = [];
  let field = 0;
  let at = close + 2;
  for (const i of PARSED_FIELDS) {
    for (; field < i && at > 0; field++) at = text.indexOf(" ", at) + 1;
    if (at <= 0) return null;
    const end = text.indexOf(" ", at);
    got.push(Number(text.slice(at, end < 0 ? undefined : end)));
  }
  const [pgrp, utime, stime, cutime, cstime, startTicks, rssPages] = got;
  // Reaped children's times (cutime, cstime) count: UML's helper processes come and go with
  // the guest's processes, and their CPU moves into the kernel's cutime when it reaps them.
  const ticks = utime + stime + cutime + cstime;
  const stat = { pid: Number(text.slice(0, open)), pgrp, ticks, startTicks, rssPages };
  return Number.isFinite(stat.pid) && Number.isFinite(ticks) ? stat : null;
}

/** One numeric field of a /proc/<pid>/stat line (`STAT_FIELD`), or -1 if unreadable. */
export function procStatField(text: string, field: number): number {
  const close = text.lastIndexOf(")");
  if (close < 0) return -1;
  let at = close + 2;
  for (let i = 0; i < field && at > 0; i++) at = text.indexOf(" ", at) + 1;
  const end = at > 0 ? text.indexOf(" ", at) : -1;
  if (end < 0) return -1;
  const value = Number(text.slice(at, end));
  return Number.isFinite(value) ? value : -1;
}

/** /proc/meminfo as KiB per field ("MemTotal" → 51776). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^([\w()]+):[ \t]+(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

export interface MemoryUse {
  totalKiB: number;
  usedKiB: number;
}

/**
 * Used memory the way `free` prints it (busybox, and procps before 4.0): everything but
 * free memory, buffers and the page cache (including reclaimable slab). That is what the
 * guest would miss if it had less; its cache it would just give up.
 */
export function memoryUse(meminfo: Record<string, number>): MemoryUse | null {
  const { MemTotal, MemFree } = meminfo;
  if (MemTotal === undefined || MemFree === undefined) return null;
  const cache = (meminfo.Buffers ?? 0) + (meminfo.Cached ?? 0) + (meminfo.SReclaimable ?? 0);
  return { totalKiB: MemTotal, usedKiB: Math.max(0, MemTotal - MemFree - cache) };
}

/** The 1-minute load from /proc/loadavg ("0.42 0.30 0.10 2/40 750"). */
export function parseLoad1(text: string): number | null {
  const v = Number(text.trim().split(/\s+/)[0]);
  return text.trim() && Number.isFinite(v) ? v : null;
}

export interface CpuTimes {
  busy: number;
  total: number;
  /** Inside `busy`: time the hypervisor gave another machine while this one had work. */
  steal: number;
}

/** The aggregate `cpu` line of /proc/stat. Guest time is already inside user and nice. */
export function parseCpuTimes(procStat: string): CpuTimes | null {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return null;
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return Number.isFinite(total) ? { busy: total - idle - iowait, total, steal } : null;
}

/** PSS in KiB from /proc/<pid>/smaps_rollup. */
export function parsePssKiB(smapsRollup: string): number | null {
  const m = /^Pss:\s+(\d+) kB/m.exec(smapsRollup);
  return m ? Number(m[1]) : null;
}
