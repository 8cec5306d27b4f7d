import type { GuestState, GuestView } from "../../lib/protocol";
import type { Boot, Guest, Image } from "../../generated/prisma/client";
import { toBootView } from "../boots/boot-records";

export type GuestRow = Guest & { image: Image; boots: Boot[] };

/** Include this in a guest query to get what toGuestView needs. */
export const guestViewInclude = {
  image: true,
  boots: { orderBy: { number: "desc" as const }, take: 1 },
};

export function toGuestView(g: GuestRow): GuestView {
  return {
    id: g.id,
    name: g.name,
    imageId: g.imageId,
    imageName: g.image.name,
    memoryMiB: g.memoryMiB,
    kernelArgs: JSON.parse(g.kernelArgs) as string[],
    state: g.state as GuestState,
    stateReason: g.stateReason,
    createdAt: g.createdAt.toISOString(),
    lastBoot: g.boots[0] ? toBootView(g.boots[0]) : null,
  };
}
