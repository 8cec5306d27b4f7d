// A guest's user-mode network, as both ends describe it. Every guest has its own private
// network (its own slirp4netns), so every guest can use the same addresses.
export const USER_NET = {
  address: "10.0.2.15/24",
  gateway: "10.0.2.2",
  dns: "10.0.2.3",
  /** The guest's network interface: UML's vector driver names it vec0. */
  iface: "vec0",
} as const;

/** Where forwarded host ports listen: loopback unless the site chose to expose them. */
export function forwardHostAddress(env: Record<string, string | undefined> = process.env): string {
  return env.CORRAL_FORWARD_ADDRESS || "127.0.0.1";
}
