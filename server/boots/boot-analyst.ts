import { analyseBoot, type BootAnalysisReader } from "../../lib/server/reads/boot-analyses";
import { lastBootQuery } from "./boot-records";
import type { Boot } from "../../generated/prisma/client";
import type { Config } from "../config";
import type { Db } from "../db";
import type { GuestStore } from "../guests/guest-store";
import { logger } from "../log";
import { bootLogPath, guestPaths } from "../uml/paths";

const log = logger("boot-analysis");

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

  private async run(number: number, given: Boot | null): Promise<void> {
    try {
      const row =
        given ?? (await this.db.boot.findUnique({ where: { guestId_number: { guestId: this.guestId, number } } }));
      if (!row || !(await analyseBoot(this.reader, row))) return;
      await this.store.exclusive(this.guestId, async () => {
        const found = await this.db.guest.findUnique({ where: { id: this.guestId }, include: { boots: lastBootQuery } });
        if (!found) return;
        const { boots, ...guest } = found;
        // Only the guest's newest boot is what lists show; an older one's analysis is just stored.
        if (boots[0]?.number === number) await this.store.announce(guest, { boot: boots[0] });
      });
    } catch (err) {
      log.warn("boot analysis failed", { guest: this.guestId, boot: number, err: String(err) });
    }
  }
}
