import type { Config } from "../config";
import type { Db } from "../db";
import { logger } from "../log";
import type { GuestDriver } from "../drivers/guest-driver";
import { killGroup, processAlive } from "../uml/kernel-process";
import { bootLogPath, guestPaths } from "../uml/paths";
import { castFileOutputBytes } from "../boots/asciicast";
import type { GuestStore } from "./guest-store";
import type { ThisHost } from "../hosts/guest-host";
import { guestIsLive } from "./state-machine";
import { parseGuestState } from "../../lib/shared/stored";

const log = logger("reconcile");

async function waitGone(pid: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (processAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Brings the database in line with the host after the daemon (re)starts. Kernels the
 * keeper still runs are adopted elsewhere (`kept`); anything else is settled here: a
 * kernel running outside the keeper (a keeper that died, a daemon from before keepers)
 * has no console anyone can reach, so it is killed and its boot closed as
 * `daemon-restart`; a guest whose kernel vanished unobserved is marked crashed.
 */
export async function reconcileGuests(
  config: Config,
  db: Db,
  store: GuestStore,
  driver: GuestDriver,
  here: ThisHost,
  kept: Set<string>,
): Promise<void> {
  const orphans = driver.findRunning().filter((k) => !k.guestId || !kept.has(k.guestId));
  for (const { pid, guestId } of orphans) {
    log.warn("stopping a guest no keeper holds", { pid, guestId });
    killGroup(pid, "SIGKILL");
  }
  for (const { pid } of orphans) await waitGone(pid, 5000);
  const orphanIds = new Set(orphans.map((o) => o.guestId));

  const stale = await db.guest.findMany({
    where: {
      // Only this host's guests: another host's running guests are its daemon's to settle.
      hostId: here.id,
      id: { notIn: [...kept] },
      OR: [{ state: { in: ["booting", "running", "stopping"] } }, { pid: { not: null } }],
    },
  });
  for (const guest of stale) {
    const wasRunning = orphanIds.has(guest.id);
    const outcome = wasRunning ? "daemon-restart" : "crashed";
    const reason = wasRunning
      ? "The host daemon restarted and nothing held this guest's console any more, so the guest was stopped."
      : "The guest's kernel ended while the host daemon was not running; how it ended is unknown.";
    await store.exclusive(guest.id, async () => {
      const paths = guestPaths(config.dataDir, config.runDir, guest.id);
      for (const boot of await db.boot.findMany({ where: { guestId: guest.id, endedAt: null } })) {
        const logBytes = await castFileOutputBytes(bootLogPath(paths, boot.number));
        await db.boot.update({
          where: { id: boot.id },
          data: { endedAt: new Date(), outcome, detail: reason, logBytes },
        });
      }
      if (guestIsLive(parseGuestState(guest.state))) {
        await store.transition(guest, { type: "exit", outcome }, { reason, pid: null });
      } else {
        await db.guest.update({ where: { id: guest.id }, data: { pid: null } });
      }
    });
    log.info("reconciled guest", { guest: guest.name, outcome });
  }
}
