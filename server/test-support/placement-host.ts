// A host of the fleet as placement sees it (server/hosts/placement.ts), for unit tests.
import type { PlacementHost } from "../hosts/placement";

/** A reachable host named `name` (id `id-${name}`), 1 GiB for guests, none of it taken, every image present. */
export function placementHost(name: string, over: Partial<PlacementHost> = {}): PlacementHost {
  return {
    id: `id-${name}`,
    name,
    reachable: true,
    maintenance: false,
    contextGuests: true,
    guestMemoryMiB: 1024,
    allocatedMiB: 0,
    missingImageIds: [],
    ...over,
  };
}
