"use client";

import { useEffect, useReducer } from "react";
import { currentGuests, initLiveGuests, reduceLiveGuests } from "../shared/live-guests";
import type { GuestStateEvent, GuestView } from "../shared/protocol";
import { useGuestEvents } from "./use-guest-events";

interface LiveGuestOptions {
  /** Re-reads the guests (after a reconnect); null when the read failed. */
  resync: () => Promise<GuestView[] | null>;
  onState?: (event: GuestStateEvent) => void;
  onCreated?: (event: { id: string }) => void;
  onDeleted?: (event: { id: string }) => void;
}

/** The rendered guests with their live state applied. */
export function useLiveGuests(rendered: GuestView[], options: LiveGuestOptions): GuestView[] {
  const [state, dispatch] = useReducer(reduceLiveGuests, rendered, initLiveGuests);
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
