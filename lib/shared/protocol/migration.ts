// Moving a stopped guest to another host (cold migration) and emptying a host in maintenance
// (evacuation): the requests, the live progress and the answers.
import { z } from "zod";
import { hostIdSchema } from "./host";

/** POST /api/guests/:id/migrate (admins): the host to move the stopped guest to. */
export const migrateGuestSchema = z.strictObject({ hostId: hostIdSchema });
export type MigrateGuestInput = z.input<typeof migrateGuestSchema>;

/** What POST /api/guests/:id/migrate answers once the guest is on its new host. */
export interface MigrationResult {
  guestId: string;
  fromHostName: string;
  toHostName: string;
  files: number;
  /** The files' sizes, holes included. */
  bytes: number;
  ms: number;
}

/**
 * A migration as it goes (socket event `guest:migration`, to whoever sees the guest): bytes
 * sent so far of `bytesTotal` (what the files occupy on disk: holes do not travel), then
 * done or failed with why.
 */
export interface GuestMigrationEvent {
  id: string;
  ownerId: string | null;
  toHostName: string;
  phase: "copying" | "done" | "failed";
  bytesDone: number;
  bytesTotal: number;
  error?: string;
}

/** What evacuating a host did to each of its guests (POST /api/hosts/:id/evacuate). */
export interface EvacuationEntry {
  guestId: string;
  guestName: string;
  outcome: "moved" | "stays" | "failed";
  /** The host it moved to. */
  hostName?: string;
  /** Why it stays or failed. */
  reason?: string;
}
export interface EvacuationResult {
  hostName: string;
  guests: EvacuationEntry[];
}
