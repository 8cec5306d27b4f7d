import { analyseBoot, type BootAnalysisReader } from "../../lib/server/reads/boot-analyses";
import { ProblemLineSpotter } from "../../lib/shared/boot-analysis";
import { lastBoot } from "../../lib/server/reads/last-boots";
import type { Boot } from "../../generated/prisma/client";
import type { Config } from "../config";
import type { Db } from "../db";
import type { GuestStore } from "../guests/guest-store";
import { logger } from "../log";
import { bootLogPath, guestPaths } from "../uml/paths";

const log = logger("boot-analysis");

/**
 * Readiness is not the end of a boot: systemd starts units beside the login prompt, so a
 * unit can fail just after it. A problem line (as the analysis counts them) printed within
 * SETTLE_WINDOW_MS of readiness has the boot analysed again once the console has been quiet
 * for SETTLE_QUIET_MS (at most SETTLE_MAX_WAIT_MS after it, for a console that never pauses).
 */
const SETTLE_WINDOW_MS = 120_000;
const SETTLE_QUIET_MS = 1_000;
const SETTLE_MAX_WAIT_MS = 10_000;

/** The read model's view of boot logs as the daemon has them: it stores what it computes. */
export function daemonAnalysisReader(config: Config, db: Db): BootAnalysisReader {
  return {
    db,
    store: true,
    bootLogPath: (guestId, number) => bootLogPath(guestPaths(config.dataDir, config.runDir, guestId), number),
  };
}

/**
 * Analyses one guest's boots as they become ready and as they end, one after another (an
 * analysis made at readiness must not land after the one made at the end), and tells
 * browsers the boot's health. Runs after the transition it follows, outside the guest's
 * turn: readiness and stops are never held up by reading a log; a failed analysis is
 * logged and read again lazily (reads/boot-analyses.ts).
 */
export class BootAnalyst {
  private queue: Promise<void> = Promise.resolve();
  private readonly reader: BootAnalysisReader;
  private watch: { boot: number; until: number; spotter: ProblemLineSpotter } | null = null;
  private settling: { boot: number; first: number; last: number; timer: NodeJS.Timeout } | null = null;

  constructor(
    config: Config,
    private readonly db: Db,
    private readonly store: GuestStore,
    private readonly guestId: string,
  ) {
    this.reader = daemonAnalysisReader(config, db);
  }

  /**
   * Queues boot `number`'s analysis; resolves when it is stored and announced. `row` is the
   * boot as its caller just wrote it (read here otherwise): the log is what is read anew.
   */
  analyse(number: number, row: Boot | null = null): Promise<void> {
    this.queue = this.queue.then(() => this.run(number, row));
    return this.queue;
  }

  /** Boot `number` became ready: its lines for SETTLE_WINDOW_MS from now are watched. */
  watchAfterReady(number: number, now = Date.now()): void {
    this.stopWatching();
    this.watch = { boot: number, until: now + SETTLE_WINDOW_MS, spotter: new ProblemLineSpotter() };
  }

  /**
   * Console output of boot `number`, every chunk of it. A problem line of a watched boot has
   * it analysed again once the console is quiet.
   */
  output(number: number, data: string): void {
    const w = this.watch;
    if (w?.boot !== number) return;
    const now = Date.now();
    if (now > w.until) {
      this.watch = null; // a settle already waiting still runs
      return;
    }
    const spotted = w.spotter.feed(data);
    const s = this.settling;
    if (s) s.last = now;
    else if (spotted) this.settling = { boot: number, first: now, last: now, timer: this.settleIn(SETTLE_QUIET_MS) };
  }

  /** The boot ended (its own analysis follows) or the guest is gone: nothing waits. */
  stopWatching(): void {
    if (this.settling) clearTimeout(this.settling.timer);
    this.settling = null;
    this.watch = null;
  }

  private settleIn(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.settle(), ms);
    timer.unref();
    return timer;
  }

  // One timer per quiet spell, not one per chunk: it looks at when the last output came.
  private settle(): void {
    const s = this.settling;
    if (!s) return;
    const now = Date.now();
    const quiet = now - s.last;
    if (quiet < SETTLE_QUIET_MS && now - s.first < SETTLE_MAX_WAIT_MS) {
      s.timer = this.settleIn(SETTLE_QUIET_MS - quiet);
      return;
    }
    this.settling = null;
    void this.analyse(s.boot);
  }

  private async run(number: number, given: Boot | null): Promise<void> {
    try {
      const row =
        given ?? (await this.db.boot.findUnique({ where: { guestId_number: { guestId: this.guestId, number } } }));
      if (!row || !(await analyseBoot(this.reader, row))) return;
      await this.store.exclusive(this.guestId, async () => {
        const guest = await this.db.guest.findUnique({ where: { id: this.guestId } });
        if (!guest) return;
        // Only the guest's newest boot is what lists show; an older one's analysis is just stored.
        const newest = await lastBoot(this.db, this.guestId);
        if (newest?.number === number) await this.store.announce(guest, { boot: newest });
      });
    } catch (err) {
      log.warn("boot analysis failed", { guest: this.guestId, boot: number, err: String(err) });
    }
  }
}
