// The contract between the browser, the web server and the host daemon: request schemas,
// response shapes and socket.io events. No Node imports — both ends use this file.
import { z } from "zod";

export const GUEST_STATES = ["stopped", "booting", "running", "stopping", "crashed"] as const;
export type GuestState = (typeof GUEST_STATES)[number];

export const BOOT_OUTCOMES = [
  "powered-off",
  "halted",
  "rebooted",
  "panicked",
  "crashed",
  "killed",
  "boot-timeout",
  "daemon-restart",
  "failed",
] as const;
export type BootOutcome = (typeof BOOT_OUTCOMES)[number];

export const MEMORY_MIB_MIN = 16;
export const MEMORY_MIB_MAX = 2048;

export const guestNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "Use 1–31 characters: lower-case letters, digits and '-', starting with a letter.");

// Extra kernel arguments are chosen from this list, never typed as free text: anything
// else could override the disk, console or control socket Corral configures.
export const KERNEL_ARG_PATTERNS: ReadonlyArray<{ pattern: RegExp; example: string; help: string }> = [
  { pattern: /^quiet$/, example: "quiet", help: "Print only important kernel messages while booting." },
  { pattern: /^debug$/, example: "debug", help: "Print debugging kernel messages." },
  { pattern: /^loglevel=[0-7]$/, example: "loglevel=4", help: "Console log level, 0–7." },
  {
    pattern: /^panic=([0-9]|[1-5][0-9]|60)$/,
    example: "panic=10",
    help: "Reboot this many seconds after a panic (0 = stay down).",
  },
  { pattern: /^printk\.time=[01]$/, example: "printk.time=1", help: "Prefix kernel messages with a timestamp." },
  { pattern: /^ignore_loglevel$/, example: "ignore_loglevel", help: "Print every kernel message regardless of level." },
];

export const kernelArgSchema = z
  .string()
  .refine((arg) => KERNEL_ARG_PATTERNS.some(({ pattern }) => pattern.test(arg)), {
    message: `Not an allowed kernel argument. Allowed: ${KERNEL_ARG_PATTERNS.map((k) => k.example).join(", ")}.`,
  });

export const createGuestSchema = z.strictObject({
  name: guestNameSchema,
  imageId: z.string().min(1, "Choose an image."),
  memoryMiB: z
    .number({ error: "Memory must be a whole number of MiB." })
    .int("Memory must be a whole number of MiB.")
    .min(MEMORY_MIB_MIN, `Memory must be at least ${MEMORY_MIB_MIN} MiB.`)
    .max(MEMORY_MIB_MAX, `Memory must be at most ${MEMORY_MIB_MAX} MiB.`),
  kernelArgs: z
    .array(kernelArgSchema)
    .max(8, "At most 8 extra kernel arguments.")
    .refine((args) => new Set(args).size === args.length, "Each kernel argument may appear once.")
    .default([]),
});
export type CreateGuestInput = z.input<typeof createGuestSchema>;

export const guestIdSchema = z.string().regex(/^[a-z0-9]{1,40}$/, "Not a guest id.");
export const bootNumberSchema = z.coerce.number().int().min(1, "Boot numbers start at 1.");

export const GUEST_ACTIONS = ["start", "stop", "force-off", "reboot"] as const;
export type GuestAction = (typeof GUEST_ACTIONS)[number];

/** Errors the daemon returns: always this shape, with a message a person can act on. */
export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export interface GuestView {
  id: string;
  name: string;
  imageId: string;
  imageName: string;
  memoryMiB: number;
  kernelArgs: string[];
  state: GuestState;
  stateReason: string | null;
  createdAt: string;
  /** When the state last changed: orders an API response against a live event. */
  updatedAt: string;
  /** The boot in progress or the last one; null before the first start. */
  lastBoot: BootView | null;
}

export interface BootView {
  number: number;
  startedAt: string;
  firstOutputAt: string | null;
  readyAt: string | null;
  endedAt: string | null;
  outcome: BootOutcome | null;
  detail: string | null;
  logBytes: number;
}

export interface ImageView {
  id: string;
  name: string;
  sizeBytes: number;
  sha256: string;
  builtIn: boolean;
  createdAt: string;
  guestCount: number;
}

export interface HostView {
  kernelVersion: string;
  memoryTotalMiB: number;
  /** The most memory one guest may be given on this host right now. */
  guestMemoryMaxMiB: number;
}

// --- metrics -----------------------------------------------------------------------------

/** Chart ranges, each read at its own resolution: raw samples, minute rollups, hour rollups. */
export const METRIC_RANGES = ["hour", "day", "month"] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];
export const metricRangeSchema = z.enum(METRIC_RANGES);

/** A time in a URL (the CSV export's `at`): an ISO timestamp the daemon wrote. */
export const sampleTimeSchema = z.iso.datetime({ offset: true });

/**
 * One guest's figures over `period` seconds from `at` (0: a single sample). CPU is in % of
 * one host core; memory in KiB. `guest*` is what the guest reports (null: it did not answer).
 */
export interface GuestSampleView {
  guestId: string;
  at: string;
  period: number;
  cpuPct: number;
  cpuPctMax: number;
  hostMemKiB: number;
  guestMemTotalKiB: number | null;
  guestMemUsedKiB: number | null;
  guestLoad1: number | null;
}

export interface HostSampleView {
  at: string;
  period: number;
  cpuCores: number;
  /** Whole-host CPU busy, % of one core: capacity is cpuCores × 100. */
  cpuPct: number;
  cpuPctMax: number;
  memTotalKiB: number;
  memAvailableKiB: number;
  diskFreeMiB: number;
  ramBackingFreeMiB: number;
  load1: number;
  guestsRunning: number;
  guestAllocatedMiB: number;
  guestCpuPct: number;
  guestHostMemKiB: number;
}

/** One sampling tick, pushed live once it is stored. */
export interface MetricsSampleEvent {
  at: string;
  host: HostSampleView;
  guests: GuestSampleView[];
}

// --- socket.io ---------------------------------------------------------------------------

const consoleSize = {
  cols: z.number().int().min(2).max(500),
  rows: z.number().int().min(2).max(200),
};
/** Without a size, the viewer watches at the console's current size and resizes nothing. */
export const consoleAttachSchema = z.strictObject({
  guestId: guestIdSchema,
  cols: consoleSize.cols.optional(),
  rows: consoleSize.rows.optional(),
});
export const consoleInputSchema = z.strictObject({
  guestId: guestIdSchema,
  data: z.string().max(64 * 1024, "Input is limited to 64 KiB per message."),
});
export const consoleResizeSchema = z.strictObject({ guestId: guestIdSchema, ...consoleSize });
export const consoleDetachSchema = z.strictObject({ guestId: guestIdSchema });

export type Ack<T> = (reply: ({ ok: true } & T) | { ok: false; error: string }) => void;

export interface ConsoleSnapshot {
  bootNumber: number;
  /** Serialized screen state (escape sequences) to write into a fresh terminal. */
  screen: string;
}

export interface GuestStateEvent {
  id: string;
  state: GuestState;
  stateReason: string | null;
  updatedAt: string;
  lastBoot: BootView | null;
}

export interface ServerToClientEvents {
  "guest:state": (event: GuestStateEvent) => void;
  "guest:created": (event: { id: string }) => void;
  "guest:deleted": (event: { id: string }) => void;
  "console:output": (event: { guestId: string; data: string }) => void;
  /** A new boot began on an attached console (reboot): draw a divider, keep the scrollback. */
  "console:boot": (event: { guestId: string; bootNumber: number }) => void;
  /** Each sampling tick, to sockets that joined `metrics:watch`. */
  "metrics:sample": (event: MetricsSampleEvent) => void;
}

export interface ClientToServerEvents {
  "guests:watch": (ack: Ack<object>) => void;
  "console:attach": (
    payload: z.input<typeof consoleAttachSchema>,
    ack: Ack<{ snapshot: ConsoleSnapshot | null }>,
  ) => void;
  "console:input": (payload: z.input<typeof consoleInputSchema>, ack?: Ack<object>) => void;
  "console:resize": (payload: z.input<typeof consoleResizeSchema>) => void;
  "console:detach": (payload: z.input<typeof consoleDetachSchema>) => void;
  "metrics:watch": (ack: Ack<object>) => void;
  "metrics:unwatch": () => void;
}
