import { describe, expect, it } from "vitest";
import { guestMac, guestTap } from "../../lib/shared/network";
import { loadConfig } from "../config";
import type { LaunchGuest } from "../drivers/guest-driver";
import { guestPaths } from "./paths";
import { planLaunch } from "./launch-plan";

const guest: LaunchGuest = {
  id: "clx1abcdefghijklmnop",
  name: "web-1",
  kind: "uml",
  memoryMiB: 64,
  kernelArgs: [],
  imagePath: "/data/images/busybox.img",
  network: "bridge",
  forwards: [],
  bridgeHost: null,
  rootPasswordHash: null,
  authorizedKeys: null,
};
const env = { CORRAL_DATA_DIR: "/tmp/corral-plan-test", CORRAL_ADMIN_PASSWORD: "a-long-password" };

function plan(extraEnv: Record<string, string>, g: Partial<LaunchGuest> = {}) {
  const config = loadConfig({ NODE_ENV: "test", ...env, ...extraEnv });
  const paths = guestPaths(config.dataDir, config.runDir, guest.id);
  return planLaunch(config, { ...guest, ...g }, paths, "/seed.img");
}

describe("planLaunch", () => {
  it("starts a bridged kernel inside the bridge's namespace on its own tap and MAC", () => {
    const p = plan({ CORRAL_BRIDGE: "cbr0", CORRAL_BRIDGE_NETNS: "corral-lab" });
    expect(p.binary).toBe("ip");
    expect(p.argv.slice(0, 3)).toEqual(["netns", "exec", "corral-lab"]);
    expect(p.argv).toContain(`vec0:transport=tap,ifname=${guestTap(guest.id)},mac=${guestMac(guest.id)}`);
    expect(p.bridgeTap).toEqual({ name: guestTap(guest.id), bridge: "cbr0", netns: "corral-lab" });
    expect(p.network).toBeUndefined();
  });

  it("refuses the bridge where the admin has not enabled it", () => {
    expect(() => plan({})).toThrow(/not enabled/);
  });

  it("gives a guest without a network neither a device nor a namespace", () => {
    const p = plan({}, { network: "none" });
    expect(p.argv.some((a) => a.startsWith("vec0"))).toBe(false);
    expect(p.bridgeTap).toBeUndefined();
    expect(p.network).toBeUndefined();
  });
});
