import { DEFAULT_BRIDGE_CIDR } from "../../lib/shared/settings";
import { guestAddressing, guestIface, guestMac, guestTap, type GuestAddressing } from "../../lib/shared/network";
import type { Config } from "../config";
import type { LaunchGuest } from "../drivers/guest-driver";
import type { SpawnRequest } from "../keeper/protocol";
import { userNetSpec } from "../network/user-net";
import type { ContextPaths } from "./lxc-paths";

// A context guest's network, in its own network namespace (LXC's `empty`: only `lo`), through
// the same modes as a UML guest's. The console keeper makes the guest's interface while LXC's
// start-host hook holds init back (server/keeper/guest-network.ts); the guest's init then
// configures it from its seed, as a UML guest does vec0.
//   user   — slirp4netns's tap in that namespace, port forwards through its API socket;
//   bridge — a veth pair: one end on the host's bridge, the other the guest's interface;
//   none   — nothing but `lo`.

/** The guest's interface inside its container (a UML guest's is vec0). */
export const CONTAINER_IFACE = guestIface("context");

/** What the keeper sets up around the container, per network mode. */
export function planContainerNetwork(
  config: Config,
  g: LaunchGuest,
  paths: ContextPaths,
): Pick<SpawnRequest, "network" | "bridgeTap"> {
  const hold = { pidFile: paths.netPid, readyFile: paths.netReady, iface: CONTAINER_IFACE };
  if (g.network === "user") return { network: { ...userNetSpec(config, g.id, g.forwards), container: hold } };
  if (g.network === "bridge") {
    if (!config.bridge) throw new Error("bridge networking is not enabled on this host (CORRAL_BRIDGE)");
    const { name, netns } = config.bridge;
    return { bridgeTap: { name: guestTap(g.id), bridge: name, netns, container: { ...hold, mac: guestMac(g.id) } } };
  }
  return {};
}

/** The address the guest's seed gives it (as for a UML guest on the same network). */
export function containerAddressing(config: Config, g: LaunchGuest): GuestAddressing | null {
  return guestAddressing(g.network, g.bridgeHost, config.bridge?.cidr ?? DEFAULT_BRIDGE_CIDR);
}
