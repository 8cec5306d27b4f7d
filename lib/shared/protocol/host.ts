// The host: what the daemon reports about the machine guests run on.

export interface HostView {
  kernelVersion: string;
  memoryTotalMiB: number;
  /** The most memory one guest may be given on this host right now. */
  guestMemoryMaxMiB: number;
  /** The host bridge guests may join (null: bridge networking is not enabled). */
  bridge: { name: string; cidr: string } | null;
  /** Why Debian images cannot be built here (not root, debootstrap missing); null when they can. */
  debianBuildsUnavailable: string | null;
}
