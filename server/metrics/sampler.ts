import type { GuestMetrics, MeteredGuest } from "../drivers/guest-driver";
import { CpuMeter } from "./cpu-meter";
import { CLOCK_TICKS_PER_SECOND, readHost } from "./host-reader";
import { RAW, type GuestRow, type HostRow } from "./rollup";

/** A guest with a live process, as the database records it. */
export interface SampleTarget extends MeteredGuest {
  memoryMiB: number;
}

export interface SamplerOptions {
  dataDir: string;
  umlTmpDir: string;
  /** The host sampled (Host.id): every row names it. */
  hostId: string;
  /** Where each guest's readings come from: its kind's reader, behind the driver seam. */
  metrics: GuestMetrics;
}

/**
 * Takes one sample of the host and of each target guest. It learns which guests exist only
 * from its caller (the database's pids), never from whoever spawned them, and how to read a
 * guest only from the driver seam: every kind gives the same readings, turned into the same rows.
 */
export class Sampler {
  /** Counters in seconds: rates in % of one core. */
  private readonly cpu = new CpuMeter(1);

  constructor(private readonly opts: SamplerOptions) {}

  async sample(targets: SampleTarget[], at: Date): Promise<{ guests: GuestRow[]; host: HostRow }> {
    const { dataDir, umlTmpDir, metrics, hostId } = this.opts;
    const h = await readHost(dataDir, umlTmpDir);
    const usage = await metrics.read(targets);
    const guests: GuestRow[] = [];
    for (const t of targets) {
      const u = usage.get(t.id);
      if (!u) continue; // ended since the database was read
      const cpuPct = this.cpu.rate(t.id, u.origin, u.cpuSeconds, h.uptimeS, u.sinceS);
      guests.push({
        guestId: t.id,
        hostId,
        period: RAW,
        at,
        samples: 1,
        cpuPct,
        cpuPctMax: cpuPct,
        hostMemKiB: u.hostMemKiB,
        guestSamples: u.report ? 1 : 0,
        guestMemTotalKiB: u.report?.memTotalKiB ?? null,
        guestMemUsedKiB: u.report?.memUsedKiB ?? null,
        guestLoad1: u.report?.load1 ?? null,
      });
    }
    this.cpu.retain(new Set(["host", ...targets.map((t) => t.id)]));
    const hostCpuPct = h.cpu ? this.cpu.rate("host", 0, h.cpu.busy / CLOCK_TICKS_PER_SECOND, h.uptimeS, 0) : 0;
    const sampled = new Set(guests.map((g) => g.guestId));
    const host: HostRow = {
      hostId,
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
