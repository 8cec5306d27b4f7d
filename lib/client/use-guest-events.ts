"use client";

import type { GuestStateEvent } from "../shared/protocol";
import { useRoom } from "./use-room";

export interface GuestEventHandlers {
  onState?: (event: GuestStateEvent) => void;
  onCreated?: (event: { id: string }) => void;
  onDeleted?: (event: { id: string }) => void;
  /**
   * Called each time the watch is (re)joined. Events sent before it — between the page's
   * render and the first join, or while disconnected — were missed: re-read state here.
   */
  onWatching?: () => void;
}

/** Live guest events. Joins `guests:watch` on every (re)connect of the shared socket. */
export function useGuestEvents(handlers: GuestEventHandlers): void {
  useRoom({
    join: "guests:watch",
    on: {
      "guest:state": (e) => handlers.onState?.(e),
      "guest:created": (e) => handlers.onCreated?.(e),
      "guest:deleted": (e) => handlers.onDeleted?.(e),
    },
    onJoined: () => handlers.onWatching?.(),
  });
}
