import type { GuestKind } from "../../lib/shared/protocol";
import type {
  BootStart,
  DiskLayer,
  GuestDriver,
  GuestMetrics,
  GuestUsage,
  LaunchGuest,
  MeteredGuest,
} from "./guest-driver";

/**
 * Every kind behind the one seam: each call goes to the driver of the guest's kind, so the
 * rest of the daemon holds one GuestDriver and never asks which kind a guest is.
 */
export class KindedDriver implements GuestDriver {
  readonly kind = "any";

  constructor(
    private readonly drivers: Record<GuestKind, GuestDriver>,
    /** The kind of a guest by id (from its row). */
    private readonly kindOf: (guestId: string) => Promise<GuestKind>,
  ) {}

  private async of(guestId: string): Promise<GuestDriver> {
    return this.drivers[await this.kindOf(guestId)];
  }

  checkStart(guest: LaunchGuest): Promise<void> {
    return this.drivers[guest.kind].checkStart(guest);
  }

  prepareLaunch(guest: LaunchGuest, boot: BootStart) {
    return this.drivers[guest.kind].prepareLaunch(guest, boot);
  }

  async requestPowerOff(guestId: string): Promise<void> {
    return (await this.of(guestId)).requestPowerOff(guestId);
  }

  async forceOff(guestId: string): Promise<boolean> {
    const driver = await this.of(guestId);
    return driver.forceOff ? driver.forceOff(guestId) : false;
  }

  findRunning(): Array<{ guestId: string | null; pid: number }> {
    return Object.values(this.drivers).flatMap((d) => d.findRunning());
  }

  readonly disk: DiskLayer = {
    check: async (id, image) => (await this.of(id)).disk.check(id, image),
    allocatedBytes: async (id) => (await this.of(id)).disk.allocatedBytes(id),
    changedBytes: async (id) => (await this.of(id)).disk.changedBytes(id),
    discard: async (id) => (await this.of(id)).disk.discard(id),
    saveTo: async (id, file) => (await this.of(id)).disk.saveTo(id, file),
    restoreFrom: async (id, file) => (await this.of(id)).disk.restoreFrom(id, file),
    cloneTo: async (id, other) => (await this.of(id)).disk.cloneTo(id, other),
    mergeInto: async (id, image, dest) => (await this.of(id)).disk.mergeInto(id, image, dest),
  };

  /** Each kind's guests read by that kind's reader, all kinds at once. */
  readonly metrics: GuestMetrics = {
    read: async (guests: MeteredGuest[]) => {
      const byKind = new Map<GuestKind, MeteredGuest[]>();
      for (const g of guests) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), g]);
      const out = new Map<string, GuestUsage>();
      await Promise.all(
        [...byKind].map(async ([kind, some]) => {
          const read = await this.drivers[kind].metrics?.read(some);
          for (const [id, usage] of read ?? []) out.set(id, usage);
        }),
      );
      return out;
    },
  };
}
