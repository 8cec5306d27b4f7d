import type { GuestKind } from "./protocol/kinds";

// A guest's user-mode network, as both ends describe it. Every guest has its own private
// network (its own slirp4netns), so every guest can use the same addresses.
export const USER_NET = {
  address: "10.0.2.15/24",
  gateway: "10.0.2.2",
  dns: "10.0.2.3",
  /** The guest's network interface: UML's vector driver names it vec0. */
  iface: "vec0",
} as const;

/** The guest's interface as it sees it: UML's vector driver names it vec0; a context guest's is eth0. */
export function guestIface(kind: GuestKind): string {
  return kind === "context" ? "eth0" : USER_NET.iface;
}

/**
 * The site's network settings a guest's view shows: the daemon passes its validated config,
 * the web its validated environment (the same variables, CORRAL_BRIDGE_CIDR and
 * CORRAL_FORWARD_ADDRESS).
 */
export interface NetworkSettings {
  bridgeCidr: string;
  /** Where forwarded host ports listen. */
  forwardAddress: string;
}

/** A stable MAC address per guest (locally administered), so DHCP leases follow the guest. */
export function guestMac(guestId: string): string {
  let h = 0x811c9dc5;
  for (const c of guestId) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const b = [0x52, 0x54, 0x00, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

/** The host-side tap of a bridged guest (interface names are at most 15 characters). */
export function guestTap(guestId: string): string {
  return `ct-${guestId.slice(-10)}`;
}

/** Host parts handed to bridged guests; below and above are left to the site (gateway, infra). */
export const BRIDGE_HOSTS = { first: 10, last: 250 } as const;

export interface GuestAddressing {
  address: string;
  gateway: string;
  dns: string | null;
  /** Whether a DHCP server on the guest's network hands out this same address. */
  dhcp: boolean;
}

/** The address a guest has on its network: fixed on the user network, reserved on the bridge. */
export function guestAddressing(mode: string, bridgeHost: number | null, cidr: string): GuestAddressing | null {
  if (mode === "user") return { address: USER_NET.address, gateway: USER_NET.gateway, dns: USER_NET.dns, dhcp: false };
  if (mode === "bridge" && bridgeHost !== null) {
    const [gateway, bits] = cidr.split("/");
    const prefix = gateway.split(".").slice(0, 3).join(".");
    return { address: `${prefix}.${bridgeHost}/${bits}`, gateway, dns: null, dhcp: true };
  }
  return null;
}
