import type { BootView, GuestViewState } from "./protocol";

/**
 * Since when a guest has been up: from the moment it became ready, or from the start of
 * the boot while it is still booting. Null when it is not up, or when `lastBoot` is an
 * earlier, finished boot (the daemon announces "booting" before it records the new boot).
 */
export function guestUpSince(state: GuestViewState, lastBoot: BootView | null): string | null {
  if (state !== "booting" && state !== "running") return null;
  if (!lastBoot || lastBoot.endedAt) return null;
  return lastBoot.readyAt ?? lastBoot.startedAt;
}
