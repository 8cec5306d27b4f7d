// Merges the guests a page was rendered with and the live `guest:state` events that
// followed. Events always win over rendered data: every state change is announced, so while
// the socket is connected the latest event is the latest state. Events can only be missed
// while disconnected; a resync then re-reads the list and drops every event older than it.
import type { GuestStateEvent, GuestViewState } from "./protocol";

/** What a live list needs of a guest: its id and state (pages keep what else they show). */
export interface LiveGuest {
  id: string;
  state: GuestViewState;
}

export interface LiveGuests<T extends LiveGuest = LiveGuest> {
  base: T[];
  events: Record<string, { seq: number; event: GuestStateEvent }>;
  seq: number;
  /** Events with seq ≤ this were received before the resync in flight started. */
  resyncFrom: number;
}

export type LiveGuestsAction<T extends LiveGuest = LiveGuest> =
  | { type: "rendered"; guests: T[] }
  | { type: "event"; event: GuestStateEvent }
  | { type: "resync-started" }
  | { type: "resynced"; guests: T[] };

export function initLiveGuests<T extends LiveGuest>(guests: T[]): LiveGuests<T> {
  return { base: guests, events: {}, seq: 0, resyncFrom: 0 };
}

export function reduceLiveGuests<T extends LiveGuest>(s: LiveGuests<T>, a: LiveGuestsAction<T>): LiveGuests<T> {
  switch (a.type) {
    case "rendered":
      return { ...s, base: a.guests };
    case "event": {
      const seq = s.seq + 1;
      return { ...s, seq, events: { ...s.events, [a.event.id]: { seq, event: a.event } } };
    }
    case "resync-started":
      return { ...s, resyncFrom: s.seq };
    case "resynced": {
      const events = Object.fromEntries(Object.entries(s.events).filter(([, e]) => e.seq > s.resyncFrom));
      return { ...s, base: a.guests, events };
    }
  }
}

export function currentGuests<T extends LiveGuest>(s: LiveGuests<T>): T[] {
  return s.base.map((g) => {
    const e = s.events[g.id]?.event;
    return e ? { ...g, state: e.state, stateReason: e.stateReason, lastBoot: e.lastBoot } : g;
  });
}
