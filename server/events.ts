import { EventEmitter } from "node:events";
import type {
  GuestMigrationEvent,
  GuestStateEvent,
  ImageBuildEvent,
  ImageCopyEvent,
  MetricsSampleEvent,
} from "../lib/shared/protocol";

/** What the daemon announces; server/realtime/ forwards these to browsers. */
export interface DaemonEvents {
  "guest:state": [event: GuestStateEvent];
  "guest:created": [event: { id: string; ownerId: string | null }];
  "guest:deleted": [event: { id: string; ownerId: string | null }];
  /** Sessions ended (disabled, password reset, role changed): their sockets must go. */
  "user:signed-out": [event: { userId: string }];
  "session:ended": [event: { sessionId: string }];
  /** An API token revoked: sockets it opened must go. */
  "token:revoked": [event: { tokenId: string }];
  "metrics:sample": [event: MetricsSampleEvent];
  "image:build": [event: ImageBuildEvent];
  /** A guest moving to another host (hosts/guest-migration.ts): bytes so far, then done or failed. */
  "guest:migration": [event: GuestMigrationEvent];
  "image:copy": [event: ImageCopyEvent];
}

export class EventBus extends EventEmitter<DaemonEvents> {}
