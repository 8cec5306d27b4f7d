import { describe, expect, it } from "vitest";
import { guestMac, guestTap } from "../../lib/shared/network";
import { loadConfig } from "../config";
import type { LaunchGuest } from "../drivers/guest-driver";
import { spawnRequestSchema } from "../keeper/protocol";
import { containerAddressing, planContainerNetwork } from "./context-network";
import { contextPaths } from "./lxc-paths";

const guest: LaunchGuest = {
  id: "clx1abcdefghijklmnop",
  name: "ctx-1",
  kind: "context",
  memoryMiB: 64,
  kernelArgs: [],
  imagePath: "/data/images/busybox.img",
  network: "user",
  forwards: [{ protocol: "tcp", hostPort: 8080, guestPort: 80 }],
  bridgeHost: 12,
  rootPasswordHash: null,
  authorizedKeys: null,
};
const env = {
  NODE_ENV: "test" as const,
  CORRAL_DATA_DIR: "/tmp/corral-ctx-plan",
  CORRAL_ADMIN_PASSWORD: "a-long-password",
};

function plan(extraEnv: Record<string, string>, g: Partial<LaunchGuest> = {}) {
  const config = loadConfig({ ...env, ...extraEnv });
  return { config, p: planContainerNetwork(config, { ...guest, ...g }, contextPaths(config.dataDir, guest.id)) };
}

describe("planContainerNetwork", () => {
  it("puts slirp4netns's tap in the container as eth0, held by the start-host hook, with the forwards", () => {
    const { config, p } = plan({});
    const paths = contextPaths(config.dataDir, guest.id);
    expect(p.network).toMatchObject({
      apiSocket: `${config.runDir}/${guest.id}.net`,
      forwards: guest.forwards,
      container: { pidFile: paths.netPid, readyFile: paths.netReady, iface: "eth0" },
    });
    expect(p.bridgeTap).toBeUndefined();
    // What the daemon sends is what the keeper accepts.
    expect(spawnRequestSchema.shape.network.parse(p.network)).toEqual(p.network);
  });

  it("makes a bridged guest a veth whose bridge end is its tap name and whose other end has its MAC", () => {
    const { p } = plan({ CORRAL_BRIDGE: "cbr0", CORRAL_BRIDGE_NETNS: "corral-lab" }, { network: "bridge" });
    expect(p.bridgeTap).toMatchObject({
      name: guestTap(guest.id),
      bridge: "cbr0",
      netns: "corral-lab",
      container: { iface: "eth0", mac: guestMac(guest.id) },
    });
    expect(p.network).toBeUndefined();
    expect(spawnRequestSchema.shape.bridgeTap.parse(p.bridgeTap)).toEqual(p.bridgeTap);
  });

  it("refuses the bridge where the admin has not enabled it, and plans nothing for none", () => {
    expect(() => plan({}, { network: "bridge" })).toThrow(/not enabled/);
    expect(plan({}, { network: "none" }).p).toEqual({});
  });

  it("seeds the same addresses a UML guest on that network gets", () => {
    const config = loadConfig({ ...env, CORRAL_BRIDGE: "cbr0", CORRAL_BRIDGE_CIDR: "10.9.0.1/24" });
    expect(containerAddressing(config, guest)).toEqual({
      address: "10.0.2.15/24",
      gateway: "10.0.2.2",
      dns: "10.0.2.3",
      dhcp: false,
    });
    expect(containerAddressing(config, { ...guest, network: "bridge" })).toMatchObject({
      address: "10.9.0.12/24",
      dhcp: true,
    });
    expect(containerAddressing(config, { ...guest, network: "none" })).toBeNull();
  });
});
