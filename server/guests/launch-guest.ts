import type { Guest, Image, PortForward } from "../../generated/prisma/client";
import { parseForwardProtocol, parseGuestKind, parseGuestNetwork, parseKernelArgs } from "../../lib/shared/stored";
import type { LaunchGuest } from "../drivers/guest-driver";

/** Include this in a guest query to get what `toLaunchGuest` needs. */
export const launchInclude = { image: true, forwards: true } as const;
export type LaunchRow = Guest & { image: Image; forwards: PortForward[] };

/** A guest's row as a driver launches it, its stored strings parsed once. */
export function toLaunchGuest(g: LaunchRow): LaunchGuest {
  return {
    id: g.id,
    name: g.name,
    kind: parseGuestKind(g.kind),
    memoryMiB: g.memoryMiB,
    kernelArgs: parseKernelArgs(g.kernelArgs),
    imagePath: g.image.path,
    network: parseGuestNetwork(g.network),
    forwards: g.forwards.map((f) => ({
      protocol: parseForwardProtocol(f.protocol),
      hostPort: f.hostPort,
      guestPort: f.guestPort,
    })),
    bridgeHost: g.bridgeHost,
    rootPasswordHash: g.rootPasswordHash,
    authorizedKeys: g.authorizedKeys,
  };
}
