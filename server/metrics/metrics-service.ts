import type { Config } from "../config";
import type { Db } from "../db";
import type { GuestMetrics } from "../drivers/guest-driver";
import type { EventBus } from "../events";
import type { ThisHost } from "../hosts/guest-host";
import { logger } from "../log";
import { toGuestSampleView, toHostSampleView } from "../../lib/shared/metric-views";
import { parseGuestKind } from "../../lib/shared/stored";
import { MetricsStore } from "./metrics-store";
import { Sampler, type SampleTarget } from "./sampler";

const log = logger("metrics");

/**
 * Samples this host and every guest of it with a live kernel on its own timer, stores the samples, compacts
 * them, and announces each tick on the bus. Ticks are aligned to multiples of the interval
 * (every row of a tick shares one time) and never overlap: a slow tick skips slots rather
 * than queueing up. Nothing here waits on a guest's turn in GuestStore, so sampling never
 * holds up a start or a stop; it only reads the database and what each kind's metrics reader reads (drivers/guest-driver.ts).
 */
export class MetricsService {
  private readonly sampler: Sampler;
  private readonly store: MetricsStore;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The minute compaction last ran in: rollups only appear when a minute closes. */
  private compactedMinute = -1;
  /** The newest tick recorded, so each event can say which it follows (read from the database at start). */
  private lastAt: Promise<Date | null> | Date | null = null;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly bus: EventBus,
    /** Every kind's reader (the daemon's KindedDriver's). */
    metrics: GuestMetrics,
    private readonly here: ThisHost,
  ) {
    this.store = new MetricsStore(db, config.metricsRetentionDays, here.id);
    this.sampler = new Sampler({ dataDir: config.dataDir, umlTmpDir: config.umlTmpDir, metrics, hostId: here.id });
  }

  start(): void {
    if (this.config.metricsIntervalMs <= 0) {
      log.info("sampling is off (CORRAL_METRICS_INTERVAL_SECONDS=0)");
      return;
    }
    log.info("sampling", { everyMs: this.config.metricsIntervalMs, retentionDays: this.config.metricsRetentionDays });
    this.lastAt = this.db.hostSample
      .findFirst({ where: { hostId: this.here.id, period: 0 }, orderBy: { at: "desc" }, select: { at: true } })
      .then((row) => row?.at ?? null);
    this.schedule();
  }

  /** Stops the timer and waits for a tick in progress, so the database can close after. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    const every = this.config.metricsIntervalMs;
    const at = (Math.floor(Date.now() / every) + 1) * every;
    this.timer = setTimeout(() => {
      this.running = this.tick(new Date(at))
        .catch((err) => log.warn("sampling failed", { err: err instanceof Error ? err.message : String(err) }))
        .finally(() => this.schedule());
    }, at - Date.now());
    this.timer.unref();
  }

  private async tick(at: Date): Promise<void> {
    const started = performance.now();
    // Raw SQL: Prisma compiles a model query on every call, a sizeable share of a tick.
    // Only this host's guests: another host's pid means nothing here.
    const live = await this.db.$queryRaw<
      Array<{ id: string; kind: string; pid: number; memoryMiB: number; state: string }>
    >`
      SELECT "id", "kind", "pid", "memoryMiB", "state" FROM "Guest"
      WHERE "hostId" = ${this.here.id} AND "pid" IS NOT NULL AND "state" IN ('booting', 'running', 'stopping')`;
    const targets: SampleTarget[] = live.map((g) => ({
      id: g.id,
      kind: parseGuestKind(g.kind),
      pid: Number(g.pid),
      memoryMiB: Number(g.memoryMiB),
      running: g.state === "running",
    }));
    const { guests, host } = await this.sampler.sample(targets, at);
    if (this.stopped) return;
    await this.store.record(guests, host);
    const minute = Math.floor(Date.now() / 60_000);
    let rolledUp = 0;
    if (minute !== this.compactedMinute) {
      rolledUp = await this.store.compact(Date.now());
      this.compactedMinute = minute;
    }
    const previous = await this.lastAt;
    this.lastAt = at;
    this.bus.emit("metrics:sample", {
      at: at.toISOString(),
      previousAt: previous?.toISOString() ?? null,
      host: toHostSampleView(host),
      guests: guests.map(toGuestSampleView),
    });
    log.debug("sampled", { guests: guests.length, rolledUp, ms: Math.round(performance.now() - started) });
  }
}
