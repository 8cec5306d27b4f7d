import type { Config } from "../config";
import type { GuestMetrics, GuestSelfReport, GuestUsage, MeteredGuest } from "../drivers/guest-driver";
import { MconsoleSession } from "../uml/mconsole-session";
import { guestPaths } from "../uml/paths";
import { readGuestReport } from "./guest-report";
import { GuestMemoryReader } from "./guest-memory-reader";
import { LoopSlices } from "./loop-slices";
import { CLOCK_TICKS_PER_SECOND, ProcessGroupReader } from "./host-reader";
import { QuietReadings, type CostlyReading } from "./quiet-readings";

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
 * UML guests' metrics, with no agent inside the guest: host CPU of the kernel's process group
 * and the host memory it holds (guest-memory-reader.ts), from the host's /proc; and what the guest
 * reports of itself through mconsole. The guest is asked again (and its kernel's own memory
 * read) only when it used CPU or touched guest RAM since (quiet-readings.ts); its CPU and
 * that RAM are read on every tick.
 */
export class KernelMetrics implements GuestMetrics {
  private readonly memory: GuestMemoryReader;
  private readonly groups = new ProcessGroupReader();
  private readonly quiet = new QuietReadings();
  private readonly mconsoleTimeoutMs: number;

  constructor(
    private readonly config: Pick<Config, "dataDir" | "runDir" | "umlTmpDir" | "metricsIntervalMs">,
    /** Guests asked at once, each through its own mconsole client socket. */
    private readonly concurrency = 4,
  ) {
    this.memory = new GuestMemoryReader(config.umlTmpDir);
    this.mconsoleTimeoutMs = Math.max(500, Math.min(2000, config.metricsIntervalMs / 2));
  }

  async read(guests: MeteredGuest[]): Promise<Map<string, GuestUsage>> {
    const { dataDir, runDir } = this.config;
    const socketOf = (g: MeteredGuest) => guestPaths(dataDir, runDir, g.id).mconsoleSocket;
    const timeout = this.mconsoleTimeoutMs;
    const groups = await this.groups.read(new Set(guests.map((g) => g.pid)));
    this.quiet.next();
    // A client socket per worker and tick, made when it first asks a guest: each asks one
    // guest at a time, and late replies die with the socket instead of meeting the next tick.
    const sessions: MconsoleSession[] = [];
    const out = new Map<string, GuestUsage>();
    // A booting guest is not asked (no await): without slices, a tick over many of them, each
    // read from procfs afresh, ran as one block.
    const slices = new LoopSlices();
    await mapLimit(guests, this.concurrency, async (g, w) => {
      await slices.pause();
      const members = groups.get(g.pid);
      if (!members?.length) return; // ended since the database was read
      const ticks = members.reduce((n, m) => n + m.ticks, 0);
      const leader = members.find((m) => m.pid === g.pid) ?? members[0];
      // Without a backing file (PSS instead) a guest is read afresh every tick.
      const ramKiB = this.memory.guestRamKiB(g.pid);
      if (!g.running) this.quiet.forget(g.id);
      const kept = g.running && ramKiB !== null ? this.quiet.reuse(g.id, g.pid, ticks, ramKiB) : null;
      const costly = kept ?? {
        hostMemKiB: this.memory.hostMemKiB(g.pid, members, ramKiB),
        report: g.running
          ? await readGuestReport((sessions[w] ??= new MconsoleSession(runDir)), socketOf(g), timeout)
          : null,
      };
      if (!kept && g.running)
        this.quiet.keep(g.id, g.pid, ticks, ramKiB ?? 0, ramKiB === null ? null : withReport(costly));
      out.set(g.id, {
        cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
        sinceS: leader.startTicks / CLOCK_TICKS_PER_SECOND,
        origin: g.pid,
        ...costly,
      });
    }).finally(() => sessions.forEach((s) => s.close()));
    this.quiet.retain(new Set(guests.map((g) => g.id)));
    this.memory.retain(new Set(guests.map((g) => g.pid)));
    return out;
  }
}

/** The reading, if the guest answered. */
function withReport(r: { hostMemKiB: number; report: GuestSelfReport | null }): CostlyReading | null {
  return r.report ? { hostMemKiB: r.hostMemKiB, report: r.report } : null;
}
