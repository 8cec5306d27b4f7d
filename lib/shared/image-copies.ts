// An image's copies on the fleet's hosts as a page shows them, kept current by copy events.
import type { ImageCopyEvent, ImageCopyView } from "./protocol";

/** `copies` after `e`: a copy under way or ready replaces that host's entry; a failed one is gone. */
export function applyCopyEvent(copies: ImageCopyView[], e: ImageCopyEvent): ImageCopyView[] {
  const others = copies.filter((c) => c.hostId !== e.hostId);
  if (e.state === "failed") return others;
  const next = { hostId: e.hostId, hostName: e.hostName, state: e.state, copiedBytes: e.copiedBytes };
  return [...others, next].sort((x, y) => x.hostName.localeCompare(y.hostName));
}

/** The hosts (of `hosts`) an image could be copied to: those with no copy, ready or under way. */
export function hostsLackingImage<H extends { id: string }>(hosts: H[], copies: ImageCopyView[]): H[] {
  const has = new Set(copies.map((c) => c.hostId));
  return hosts.filter((h) => !has.has(h.id));
}
