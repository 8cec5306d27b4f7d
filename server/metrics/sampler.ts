import { MconsoleSession } from "../uml/mconsole-session";
import { guestPaths } from "../uml/paths";
import { CpuMeter } from "./cpu-meter";
import { readGuestReport } from "./guest-report";
import { CLOCK_TICKS_PER_SECOND, GuestMemoryReader, readHost, readProcessGroups } from "./host-reader";
import { RAW, type GuestRow, type HostRow } from "./rollup";

/** A guest with a live kernel, as the database records it. */
export interface SampleTarget {
  id: string;
  /** The kernel's pid, which is also its process group. */
  pid: number;
  memoryMiB: number;
  /** Only a running guest is asked over mconsole; a booting one may not answer yet. */
  running: boolean;
}

export interface SamplerOptions {
  dataDir: string;
  runDir: string;
  umlTmpDir: string;
  mconsoleTimeoutMs: number;
  /** Guests read at once, each through its own mconsole client socket. */
  concurrency?: number;
}

/** `fn` over `items`, `limit` at a time; each call learns which worker (0…limit-1) runs it. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, worker: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (w: number) => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], w);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, (_, w) => worker(w)));
  return out;
}

/**
 * Takes one sample of the host and of each target guest. It learns which guests exist only
 * from its caller (the database's pids), never from whoever spawned the kernels.
 */
export class Sampler {
  private readonly cpu = new CpuMeter(CLOCK_TICKS_PER_SECOND);
  private readonly memory: GuestMemoryReader;

  constructor(private readonly opts: SamplerOptions) {
    this.memory = new GuestMemoryReader(opts.umlTmpDir);
  }

  async sample(targets: SampleTarget[], at: Date): Promise<{ guests: GuestRow[]; host: HostRow }> {
    const { dataDir, runDir, umlTmpDir, mconsoleTimeoutMs, concurrency = 4 } = this.opts;
    const h = await readHost(dataDir, umlTmpDir);
    const groups = await readProcessGroups(new Set(targets.map((t) => t.pid)));
    // A client socket per worker and tick: each asks one guest at a time, and late replies
    // die with the socket instead of meeting the next tick.
    const sessions = Array.from({ length: Math.min(concurrency, targets.length) }, () => new MconsoleSession(runDir));
    const rows = await mapLimit(targets, sessions.length, async (t, w): Promise<GuestRow | null> => {
      const members = groups.get(t.pid);
      if (!members?.length) return null; // ended since the database was read
      const ticks = members.reduce((n, m) => n + m.ticks, 0);
      const leader = members.find((m) => m.pid === t.pid) ?? members[0];
      const cpuPct = this.cpu.rate(t.id, t.pid, ticks, h.uptimeS, leader.startTicks / CLOCK_TICKS_PER_SECOND);
      const hostMemKiB = this.memory.hostMemKiB(t.pid, members);
      const socket = guestPaths(dataDir, runDir, t.id).mconsoleSocket;
      const report = t.running ? await readGuestReport(sessions[w], socket, mconsoleTimeoutMs) : null;
      return {
        guestId: t.id,
        period: RAW,
        at,
        samples: 1,
        cpuPct,
        cpuPctMax: cpuPct,
        hostMemKiB,
        guestSamples: report ? 1 : 0,
        guestMemTotalKiB: report?.memTotalKiB ?? null,
        guestMemUsedKiB: report?.memUsedKiB ?? null,
        guestLoad1: report?.load1 ?? null,
      };
    }).finally(() => sessions.forEach((s) => s.close()));
    const guests = rows.filter((r): r is GuestRow => r !== null);
    this.cpu.retain(new Set(["host", ...targets.map((t) => t.id)]));
    this.memory.retain(new Set(targets.map((t) => t.pid)));
    const hostCpuPct = h.cpu ? this.cpu.rate("host", 0, h.cpu.busy, h.uptimeS, 0) : 0;
    const sampled = new Set(guests.map((g) => g.guestId));
    const host: HostRow = {
      period: RAW,
      at,
      samples: 1,
      cpuCores: h.cpuCores,
      cpuPct: hostCpuPct,
      cpuPctMax: hostCpuPct,
      memTotalKiB: h.memTotalKiB,
      memAvailableKiB: h.memAvailableKiB,
      diskFreeMiB: h.diskFreeMiB,
      ramBackingFreeMiB: h.ramBackingFreeMiB,
      load1: h.load1,
      guestsRunning: guests.length,
      guestAllocatedMiB: targets.filter((t) => sampled.has(t.id)).reduce((n, t) => n + t.memoryMiB, 0),
      guestCpuPct: guests.reduce((n, g) => n + g.cpuPct, 0),
      guestHostMemKiB: guests.reduce((n, g) => n + g.hostMemKiB, 0),
    };
    return { guests, host };
  }
}
