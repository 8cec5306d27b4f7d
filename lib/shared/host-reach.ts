// When a host of the fleet counts as gone: its daemon has not heartbeat for three of its own
// intervals. Computed when read, never stored — a host that heartbeats again is back at once.

/** Heartbeats a host may miss before it is unreachable. */
export const MISSED_HEARTBEATS = 3;

export interface HostBeat {
  lastSeenAt: Date;
  heartbeatSeconds: number;
}

/** The reason a guest of an unreachable host is shown with (state "unknown"). */
export const UNREACHABLE_REASON = (host: string) =>
  `Unknown — host unreachable: host ${host} has not been heard from for ${MISSED_HEARTBEATS} heartbeats. Its guests may still be running; they show again when it does.`;

export function hostReachable(host: HostBeat, now: Date): boolean {
  return now.getTime() - host.lastSeenAt.getTime() <= MISSED_HEARTBEATS * host.heartbeatSeconds * 1000;
}
