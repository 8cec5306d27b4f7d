// The hosts an admin may place a new guest on, as the create-guest form offers them.
import type { FleetHostView, GuestKind } from "./protocol";

/** A host of the fleet with its free guest memory and why it cannot take a guest now (null: it can). */
export interface HostChoice {
  id: string;
  name: string;
  freeMiB: number;
  unavailable: string | null;
}

/** `kind`: the guest's, when it is known (a move): a host that cannot run that kind is unavailable too. */
export function hostChoices(hosts: FleetHostView[], kind?: GuestKind): HostChoice[] {
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    freeMiB: h.guestMemoryFreeMiB,
    unavailable: h.maintenance
      ? "in maintenance"
      : h.status === "unreachable"
        ? "unreachable"
        : kind === "context" && !h.contextGuests
          ? "cannot run context guests"
          : null,
  }));
}
