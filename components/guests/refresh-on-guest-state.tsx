"use client";

import { useRouter } from "next/navigation";
import { useGuestEvents } from "@/lib/client/use-guest-events";

/**
 * Re-renders the page's server parts when this guest changes (or after a reconnect, when
 * changes may have been missed). Renders nothing.
 */
export function RefreshOnGuestState({ guestId }: { guestId: string }) {
  const router = useRouter();
  useGuestEvents({
    onState: (e) => {
      if (e.id === guestId) router.refresh();
    },
    onDeleted: (e) => {
      if (e.id === guestId) router.refresh();
    },
    onWatching: () => router.refresh(),
  });
  return null;
}
