/**
 * Kinds of guest (server/drivers): `uml` runs a kernel per guest; `context` is a container
 * sharing the host's kernel (namespaces and cgroups through LXC, server/lxc/).
 */
export const GUEST_KINDS = ["uml", "context"] as const;
export type GuestKind = (typeof GUEST_KINDS)[number];
