import path from "node:path";
import { guestMac, guestTap } from "../../lib/shared/network";
import type { Config } from "../config";
import type { SpawnRequest } from "../keeper/protocol";
import { inBridgeNetns } from "../network/bridge";
import { userNetSpec } from "../network/user-net";
import type { LaunchGuest } from "../drivers/guest-driver";
import { buildKernelArgv, inUserNetns } from "./argv";
import type { GuestPaths } from "./paths";

export type LaunchPlan = Pick<SpawnRequest, "binary" | "argv" | "network" | "bridgeTap">;

/**
 * How to start a guest's kernel, as data: the program and its argv (never a shell string)
 * and what the keeper sets up around it — per network mode:
 *   none   — the kernel alone;
 *   user   — in its own user + network namespace (scripts/guest-netns.sh), slirp4netns after;
 *   bridge — a tap on the host's bridge (in the bridge's namespace, if configured).
 */
export function planLaunch(config: Config, g: LaunchGuest, paths: GuestPaths, seedPath: string): LaunchPlan {
  const kernel = (network?: { tap: string; mac?: string }) =>
    buildKernelArgv({
      umid: paths.umid,
      runDir: config.runDir,
      cowPath: paths.cow,
      imagePath: g.imagePath,
      memoryMiB: g.memoryMiB,
      notifySocket: paths.notifySocket,
      extraArgs: g.kernelArgs,
      hostname: g.name,
      seedPath,
      network,
    });
  if (g.network === "user") {
    return {
      ...inUserNetns(
        config.umlBinary,
        kernel({ tap: "uml0" }),
        path.join(config.projectRoot, "scripts/guest-netns.sh"),
      ),
      network: userNetSpec(config, g.id, g.forwards),
    };
  }
  if (g.network === "bridge") {
    if (!config.bridge) throw new Error("bridge networking is not enabled on this host (CORRAL_BRIDGE)");
    const tap = guestTap(g.id);
    return {
      ...inBridgeNetns(config.bridge, config.umlBinary, kernel({ tap, mac: guestMac(g.id) })),
      bridgeTap: { name: tap, bridge: config.bridge.name, netns: config.bridge.netns },
    };
  }
  return { binary: config.umlBinary, argv: kernel() };
}
