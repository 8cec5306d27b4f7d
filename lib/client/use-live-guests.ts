"use client";

import { useEffect, useReducer } from "react";
import { currentGuests, initLiveGuests, reduceLiveGuests, type LiveGuest } from "../shared/live-guests";
import type { GuestStateEvent } from "../shared/protocol";
import { useGuestEvents } from "./use-guest-events";

interface LiveGuestOptions<T> {
  /** Re-reads the guests (after a reconnect); null when the read failed. */
  resync: () => Promise<T[] | null>;
  onState?: (event: GuestStateEvent) => void;
  onCreated?: (event: { id: string }) => void;
  onDeleted?: (event: { id: string }) => void;
}

/** The rendered guests with their live state applied. */
export function useLiveGuests<T extends LiveGuest>(rendered: T[], options: LiveGuestOptions<T>): T[] {
  const [state, dispatch] = useReducer(reduceLiveGuests<T>, rendered, initLiveGuests<T>);
  useEffect(() => {
    dispatch({ type: "rendered", guests: rendered });
  }, [rendered]);

  useGuestEvents({
    onState: (event) => {
      dispatch({ type: "event", event });
      options.onState?.(event);
    },
    onCreated: options.onCreated,
    onDeleted: options.onDeleted,
    onWatching: () => {
      dispatch({ type: "resync-started" });
      void options.resync().then((guests) => {
        if (guests) dispatch({ type: "resynced", guests });
      });
    },
  });

  return currentGuests(state);
}
