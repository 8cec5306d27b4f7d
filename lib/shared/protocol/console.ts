// The live channel: console socket.io schemas and events, and every socket.io event both ways.
import { z } from "zod";
import { guestIdSchema, type GuestStateEvent } from "./guests";
import type { ImageBuildEvent, ImageCopyEvent } from "./images";
import type { GuestMigrationEvent } from "./migration";
import type { MetricsSampleEvent } from "./metrics";

const consoleSize = {
  cols: z.number().int().min(2).max(500),
  rows: z.number().int().min(2).max(200),
};
/**
 * Attach to a console. Without a size the viewer watches at the console's current size.
 * `resume` (from an earlier attachment) asks for exactly what was missed since `seq`;
 * the daemon falls back to a snapshot if it no longer has all of it.
 */
export const consoleAttachSchema = z.strictObject({
  guestId: guestIdSchema,
  cols: consoleSize.cols.optional(),
  rows: consoleSize.rows.optional(),
  name: z.string().trim().min(1).max(40).optional(),
  resume: z.strictObject({ epoch: z.string().max(40), seq: z.number().int().min(0) }).optional(),
  /** Watch only, even if this person may type: never given the keyboard (`corral console --watch`). */
  watch: z.boolean().optional(),
});
export const consoleInputSchema = z.strictObject({
  guestId: guestIdSchema,
  data: z.string().max(64 * 1024, "Input is limited to 64 KiB per message."),
});
export const consoleResizeSchema = z.strictObject({ guestId: guestIdSchema, ...consoleSize });
export const consoleAckSchema = z.strictObject({ guestId: guestIdSchema, seq: z.number().int().min(0) });
export const consoleGuestSchema = z.strictObject({ guestId: guestIdSchema });
export const consoleDetachSchema = consoleGuestSchema;

export type Ack<T> = (reply: ({ ok: true } & T) | { ok: false; error: string }) => void;

export type ConsoleRole = "writer" | "watcher";
/** Output, or a marker where a new boot began (draw a divider; keep the scrollback). */
export type ConsoleItem = string | { boot: number };
/** What an item counts for in the ring and in flow control: its characters, 1 for a boot marker. */
export const consoleItemSize = (item: ConsoleItem): number => (typeof item === "string" ? item.length : 1);

export interface ConsoleAttachReply {
  viewerId: string;
  role: ConsoleRole;
  /** Identifies this console's numbering; a resume from another epoch gets a snapshot. */
  epoch: string;
  /** "resume": the missed entries follow as console:data. "snapshot": a console:snapshot follows. */
  mode: "resume" | "snapshot";
}

/** Numbered console output: `seq` is the number of the last entry in `items`. */
export interface ConsoleDataEvent {
  guestId: string;
  epoch: string;
  seq: number;
  items: ConsoleItem[];
}

/** The whole screen as of `seq`: reset the terminal and write `screen`. */
export interface ConsoleSnapshotEvent {
  guestId: string;
  epoch: string;
  seq: number;
  bootNumber: number;
  screen: string;
  /** True when this replaces output the viewer fell too far behind to receive. */
  resynced: boolean;
}

export interface ConsoleViewerView {
  id: string;
  name: string;
  role: ConsoleRole;
}

export interface ConsoleViewersEvent {
  guestId: string;
  writerId: string | null;
  viewers: ConsoleViewerView[];
  /** Set when control changed hands. */
  control?: { to: string; from: string | null };
}

export interface ServerToClientEvents {
  "guest:state": (event: GuestStateEvent) => void;
  "guest:created": (event: { id: string; ownerId: string | null }) => void;
  "guest:deleted": (event: { id: string; ownerId: string | null }) => void;
  "console:data": (event: ConsoleDataEvent) => void;
  "console:snapshot": (event: ConsoleSnapshotEvent) => void;
  "console:viewers": (event: ConsoleViewersEvent) => void;
  /** Each sampling tick, to sockets that joined `metrics:watch`. */
  "metrics:sample": (event: MetricsSampleEvent) => void;
  /** Debian image builds, live, to sockets that joined `images:watch` (admins). */
  "image:build": (event: ImageBuildEvent) => void;
  /** A guest moving to another host, live, to whoever sees the guest. */
  "guest:migration": (event: GuestMigrationEvent) => void;
  /** Copies of images to hosts, live (bytes so far), to the same sockets. */
  "image:copy": (event: ImageCopyEvent) => void;
}

export interface ClientToServerEvents {
  "guests:watch": (ack: Ack<object>) => void;
  "console:attach": (payload: z.input<typeof consoleAttachSchema>, ack: Ack<ConsoleAttachReply>) => void;
  "console:input": (payload: z.input<typeof consoleInputSchema>, ack?: Ack<object>) => void;
  "console:resize": (payload: z.input<typeof consoleResizeSchema>, ack?: Ack<object>) => void;
  "console:ack": (payload: z.input<typeof consoleAckSchema>, ack?: Ack<object>) => void;
  "console:take-control": (payload: z.input<typeof consoleGuestSchema>, ack: Ack<object>) => void;
  "console:detach": (payload: z.input<typeof consoleDetachSchema>, ack?: Ack<object>) => void;
  "metrics:watch": (ack: Ack<object>) => void;
  "metrics:unwatch": () => void;
  "images:watch": (ack: Ack<object>) => void;
}
