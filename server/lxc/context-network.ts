// What a context guest's network can be. User: slirp4netns in the container's own network
// namespace, attached by the console keeper (server/keeper/guest-network.ts) while LXC's
// start-host hook holds init back; the guest's init configures the interface from its seed.
// None: a namespace with only `lo`. Bridge: not yet (a veth into the bridge would be the way).

/** The interface slirp4netns makes in a context guest's namespace (a UML guest's is vec0). */
export const CONTAINER_IFACE = "eth0";

export const BRIDGE_REFUSED = "Context guests cannot join the bridge network yet.";
export const CONTEXT_BRIDGE_FIELD = "Choose user (slirp4netns, with port forwards) or none for a context guest.";
