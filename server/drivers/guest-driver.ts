import type { GuestKind, GuestNetwork } from "../../lib/shared/protocol";
import type { SpawnRequest } from "../keeper/protocol";
import type { Forward } from "../network/forwards";

/** A guest as every kind launches it: its row, parsed once. */
export interface LaunchGuest {
  id: string;
  name: string;
  kind: GuestKind;
  memoryMiB: number;
  kernelArgs: string[];
  imagePath: string;
  network: GuestNetwork;
  forwards: Forward[];
  /** On the bridge: the host part of its reserved address. */
  bridgeHost: number | null;
  rootPasswordHash: string | null;
  authorizedKeys: string | null;
}

export interface BootStart {
  number: number;
  startedAt: number;
  cols: number;
  rows: number;
}

/**
 * A guest's writable disk layer over its pristine image (UML: the copy-on-write file).
 * Every operation needs the guest stopped; the caller holds the guest's turn.
 */
export interface DiskLayer {
  /** Throws, saying why, when the layer no longer fits its image (changed image, damaged layer). */
  check(guestId: string, imagePath: string): Promise<void>;
  /** Bytes the layer occupies on disk (0 when the guest never booted). */
  allocatedBytes(guestId: string): Promise<number>;
  /** Bytes of the image the layer changes: how much a merge can add to a copy of the image. */
  changedBytes(guestId: string): Promise<number>;
  /** Back to the image as it was; returns the bytes discarded. */
  discard(guestId: string): Promise<number>;
  /** Copies the layer to `file` (false: there is no layer yet, nothing was written). */
  saveTo(guestId: string, file: string): Promise<boolean>;
  /** Replaces the layer with a saved copy, or with none (`file` null or missing: pristine). */
  restoreFrom(guestId: string, file: string | null): Promise<void>;
  /** Gives another guest on the same image a copy of this layer. */
  cloneTo(guestId: string, otherGuestId: string): Promise<void>;
  /** Writes the image with the layer's changes merged in, to `dest`. */
  mergeInto(guestId: string, imagePath: string, dest: string): Promise<void>;
}

/** A guest with a live process, as the sampler reads it from the database. */
export interface MeteredGuest {
  id: string;
  kind: GuestKind;
  /** What the keeper spawned for it (UML: the kernel, also its process group; context: lxc-start). */
  pid: number;
  /** Only a running guest is asked about itself; a booting one may not answer yet. */
  running: boolean;
}

/** What a guest says about itself: its own view of its memory, and its load (null: none of its own). */
export interface GuestSelfReport {
  memTotalKiB: number;
  memUsedKiB: number;
  load1: number | null;
}

/** One reading of what a guest costs the host. */
export interface GuestUsage {
  /** CPU time it has used, in seconds, counted since `sinceS` (on the host's uptime clock). */
  cpuSeconds: number;
  sinceS: number;
  /** Which counter this is (a restarted guest counts from zero again: a new origin is a new series). */
  origin: number;
  /** Host memory the guest holds now. */
  hostMemKiB: number;
  report: GuestSelfReport | null;
}

/**
 * Where a kind's metrics come from (UML: the host's /proc and mconsole; context: its cgroup).
 * Reads only: never signals or waits on a guest's processes, so sampling cannot disturb control.
 */
export interface GuestMetrics {
  /** A reading for each guest still live; a guest that ended since the database was read is left out. */
  read(guests: MeteredGuest[]): Promise<Map<string, GuestUsage>>;
}

/**
 * One kind of guest behind one seam: how a guest is checked, launched, asked to stop and
 * found again, and where its disk layer lives. Everything above it — routes, consoles,
 * boot records, quotas, pages — never asks which kind it has; the console keeper holds
 * every kind's console the same way (a process on a pseudo-terminal, described by the
 * spawn request the driver makes).
 */
export interface GuestDriver {
  readonly kind: string;
  /** Refuses a start this kind cannot make now (its layer unusable, no memory to back it); writes nothing. */
  checkStart(guest: LaunchGuest): Promise<void>;
  /** Writes what one boot needs (UML: the seed disk) and says what the keeper runs for it. */
  prepareLaunch(guest: LaunchGuest, boot: BootStart): Promise<SpawnRequest>;
  /** Asks the guest's own init to power off (UML: Ctrl-Alt-Del over mconsole). */
  requestPowerOff(guestId: string): Promise<void>;
  /**
   * Ends the guest at once through its engine (context: `lxc-stop -k`, which still runs the
   * container's clean-up). Absent, false (no engine way for this guest) or failing: the keeper
   * kills the process on the pty.
   */
  forceOff?(guestId: string): Promise<boolean>;
  readonly disk: DiskLayer;
  /** Where its metrics come from (absent: guests of this kind are not sampled). */
  readonly metrics?: GuestMetrics;
  /** This kind's processes still running from this host's run directory (for reconciling after a restart). */
  findRunning(): Array<{ guestId: string | null; pid: number }>;
}
