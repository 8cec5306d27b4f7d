import { EventEmitter } from "node:events";
import type { GuestStateEvent, MetricsSampleEvent } from "../lib/protocol";

/** What the daemon announces; server/realtime/ forwards these to browsers. */
export interface DaemonEvents {
  "guest:state": [event: GuestStateEvent];
  "guest:created": [event: { id: string }];
  "guest:deleted": [event: { id: string }];
  "metrics:sample": [event: MetricsSampleEvent];
}

export class EventBus extends EventEmitter<DaemonEvents> {}
