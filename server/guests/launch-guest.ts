import type { Guest, Image, ImageCopy, PortForward } from "../../generated/prisma/client";
import { parseForwardProtocol, parseGuestKind, parseGuestNetwork, parseKernelArgs } from "../../lib/shared/stored";
import type { LaunchGuest } from "../drivers/guest-driver";
import { hostImagePath } from "../images/image-copies";

/** Include this in a guest query to get what `toLaunchGuest` needs. */
export const launchInclude = { image: { include: { copies: true } }, forwards: true } as const;
export type LaunchRow = Guest & { image: Image & { copies: ImageCopy[] }; forwards: PortForward[] };

/** A guest's row as a driver launches it, its stored strings parsed once. */
export function toLaunchGuest(g: LaunchRow): LaunchGuest {
  return {
    id: g.id,
    name: g.name,
    kind: parseGuestKind(g.kind),
    memoryMiB: g.memoryMiB,
    kernelArgs: parseKernelArgs(g.kernelArgs),
    imagePath: hostImagePath(g.image, g.hostId),
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
