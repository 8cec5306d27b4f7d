import type { Guest } from "../../generated/prisma/client";
import type { GuestView } from "../../lib/shared/protocol";
import { NO_SUCH_GUEST, notFound } from "../errors";
import type { GuestPlace } from "../hosts/guest-host";
import { logger } from "../log";
import { AcceptedStarts, hostNow, readStartRow, StartReads, type StartHere } from "./accepted-starts";
import { BootAdmission } from "./boot-admission";
import { recordAdmittedBoot, recordFailedSpawn } from "./boot-events";
import type { LifecycleDeps } from "./guest-lifecycle";
import type { GuestRunner } from "./guest-runner";
import { toLaunchGuest } from "./launch-guest";
import { checkStartable } from "./start-checks";

const log = logger("guests");
const START = { type: "start" } as const;
const STOP = { type: "stop" } as const;

/** What a boot needs of the lifecycle: the guests' runners and the keeper. */
export interface Runners {
  add(guest: { id: string; name: string }): GuestRunner;
  drop(id: string): void;
  ensureKeeper(): Promise<void>;
}

/**
 * Starts: accepted at once and queued (the answer waits for nothing about the host), then
 * booted in their turn by the admission (boot-admission.ts). A start reads its guest once —
 * the route's authorization's read (StartReads) — and keeps the row until the boot
 * (AcceptedStarts), which then reads nothing before its admission's write.
 */
export class GuestStarts {
  private readonly accepted = new AcceptedStarts();
  private readonly reads: StartReads;
  private readonly where: StartHere;
  readonly admission: BootAdmission;

  constructor(
    private readonly deps: LifecycleDeps,
    private readonly runners: Runners,
  ) {
    this.where = { here: deps.here, heartbeatSeconds: deps.config.fleetHost.heartbeatMs / 1000 };
    this.reads = new StartReads(deps.db, deps.store, this.where);
    this.admission = new BootAdmission(deps.config.bootAdmission, deps.bus, (id) => this.boot(id));
  }

  /**
   * The guest as a start route's authorization reads it (its place for the checks and all a
   * start needs): passed back to start(), the start reads it no second time.
   */
  readForStart(id: string): Promise<GuestPlace | null> {
    return this.reads.read(id);
  }

  /**
   * Accepts a start: the guest is queued to boot when the host has room. Only what the
   * request itself may be refused for is decided here (the person, the guest's state);
   * everything about the host — the image, the disk layer, quota, free space, ports — is
   * checked in the admitted boot, whose failure the guest's state, reason and boot history
   * then say. In a storm each of those checks waits behind every booting guest's file work
   * (the thread pool), which made answers slow. `read`: the route's authorization's row.
   */
  async start(id: string, read?: GuestPlace): Promise<GuestView> {
    const { db, store, catalog } = this.deps;
    const asRead = this.reads.usable(id, read);
    // One read serves the decision, the event and the answer; the boot reuses it (see boot()).
    const view = await store.exclusive(id, async () => {
      let guest = asRead;
      const boot = () => guest!.boots[0] ?? null;
      let written = guest && (await store.transition(guest, START, { boot: boot(), ifUnchanged: true }));
      if (!guest || !written) {
        guest = await readStartRow(db, this.where, id);
        if (!guest) throw notFound(NO_SUCH_GUEST);
        written = await store.transition(guest, START, { boot: boot() });
      }
      const row = { ...guest, ...written };
      this.accepted.remember(row);
      return catalog.view(row);
    });
    this.admission.enqueue(id);
    return view;
  }

  /**
   * Takes a queued guest out of the queue in its turn (a stop or force off): it only leaves
   * it (it has no process). With the row its accepted start kept, if the stored guest is
   * still that row (a conditional write), reading nothing: the view answered is then made
   * from it. Null when this daemon kept no row of it or the row is stale: the caller reads
   * the guest and decides.
   */
  async unqueueAccepted(id: string, reason: string): Promise<GuestView | null> {
    const row = this.accepted.peek(id);
    if (!row) return null;
    // Out of the queue first, as in unqueue(): an admission's turn queued behind this one would read it for nothing.
    this.forget(id);
    const written = await this.deps.store.transition(row, STOP, {
      reason,
      boot: row.boots[0] ?? null,
      ifUnchanged: true,
    });
    // Its host heard from now, not when the start was read: the guest may have waited long.
    const host = row.hostId === this.where.here.id ? hostNow(this.where) : row.host;
    return written && this.deps.catalog.view({ ...row, ...written, host });
  }

  /** A queued guest read in its turn, stopped or forced off: it only leaves the queue. */
  async unqueue(guest: Guest, reason: string): Promise<void> {
    this.forget(guest.id);
    await this.deps.store.transition(guest, STOP, { reason });
  }

  private forget(id: string): void {
    this.admission.withdraw(id);
    this.accepted.forget(id);
  }

  /**
   * Boots a queued guest, in its turn; false if it is not queued any more (stopped meanwhile).
   * The boot is recorded first, so that a check that fails ends it as failed, with its reason.
   */
  private boot(id: string): Promise<boolean> {
    const { db, store, consoles, driver } = this.deps;
    return store.exclusive(id, async () => {
      const accepted = await this.accepted.take(db, id);
      if (!accepted) return false;
      const boot = { number: accepted.nextBoot, startedAt: new Date() };
      // Recorded with the state, so the "booting" event already carries this boot.
      const admitted = await recordAdmittedBoot({ db, store }, id, boot);
      if (!admitted) return false;
      const written = admitted.guest;
      const row = { ...accepted.row, ...written };
      const launch = toLaunchGuest(row);
      const runner = this.runners.add(row);
      try {
        await checkStartable(this.deps, row, accepted.row.owner);
        await driver.checkStart(launch);
        await this.runners.ensureKeeper();
        const size = consoles.size(id);
        const spawn = await driver.prepareLaunch(launch, {
          number: boot.number,
          startedAt: boot.startedAt.getTime(),
          ...size,
        });
        await runner.start(spawn);
      } catch (err) {
        this.runners.drop(id);
        const reason = `The guest could not be started: ${(err as Error).message}`;
        log.error("start failed", { guest: row.name, err: String(err) });
        await recordFailedSpawn(this.deps, written, boot.number, reason);
        return true;
      }
      await db.guest.update({ where: { id }, data: { pid: runner.pid } });
      return true;
    });
  }
}
