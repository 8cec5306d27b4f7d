// The hosts an admin may place a new guest on, as the create-guest form offers them.
import type { FleetHostView } from "./protocol";

/** A host of the fleet with its free guest memory and why it cannot take a guest now (null: it can). */
export interface HostChoice {
  id: string;
  name: string;
  freeMiB: number;
  unavailable: string | null;
}

export function hostChoices(hosts: FleetHostView[]): HostChoice[] {
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    freeMiB: h.guestMemoryFreeMiB,
    unavailable: h.maintenance ? "in maintenance" : h.status === "unreachable" ? "unreachable" : null,
  }));
}
