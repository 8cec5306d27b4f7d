// Guests: states, boot outcomes, names, kernel arguments, the guest request schemas and views.
import { z } from "zod";
import type { BootHealth } from "./boot-analysis";
import { GUEST_NETWORKS, authorizedKeysSchema, forwardsSchema, type GuestNetworkView } from "./network";
import { GUEST_KINDS, type GuestKind } from "./kinds";
import { hostIdSchema } from "./host";
import { wholeMiB } from "./units";

export const GUEST_STATES = ["stopped", "queued", "booting", "running", "stopping", "crashed"] as const;
export type GuestState = (typeof GUEST_STATES)[number];
/** States in which a guest holds its memory on its host (what placement counts as taken). */
export const MEMORY_HOLDING_STATES = ["queued", "booting", "running", "stopping"] as const satisfies GuestState[];
/** What a read shows: the stored state, or "unknown" while the guest's host is unreachable. */
export type GuestViewState = GuestState | "unknown";

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

// UML 7.x keeps ~12 MiB for itself: at 32 MiB a busybox guest sometimes panics at boot
// ("System is deadlocked on memory", 1 boot in 15 here); 40 and 48 never did.
export const MEMORY_MIB_MIN = 48;
export const MEMORY_MIB_MAX = 2048;

export const guestNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "Use 1–31 characters: lower-case letters, digits and '-', starting with a letter.");

// Extra kernel arguments are chosen from this list, never typed as free text: anything
// else could override the disk, console or control socket Corral configures.
/** `form`, for an argument that takes values, says which: the error that refuses one names it. */
export const KERNEL_ARG_PATTERNS: ReadonlyArray<{ pattern: RegExp; example: string; form?: string; help: string }> = [
  { pattern: /^quiet$/, example: "quiet", help: "Print only important kernel messages while booting." },
  { pattern: /^debug$/, example: "debug", help: "Print debugging kernel messages." },
  { pattern: /^loglevel=[0-7]$/, example: "loglevel=4", form: "loglevel=0…7", help: "Console log level, 0–7." },
  {
    pattern: /^panic=([0-9]|[1-5][0-9]|60)$/,
    example: "panic=10",
    form: "panic=0…60",
    help: "Reboot this many seconds after a panic (0 = stay down).",
  },
  {
    pattern: /^printk\.time=[01]$/,
    example: "printk.time=1",
    form: "printk.time=0 or 1",
    help: "Prefix kernel messages with a timestamp.",
  },
  { pattern: /^ignore_loglevel$/, example: "ignore_loglevel", help: "Print every kernel message regardless of level." },
];

export const kernelArgSchema = z
  .string()
  .refine((arg) => KERNEL_ARG_PATTERNS.some(({ pattern }) => pattern.test(arg)), {
    message: `Not an allowed kernel argument. Allowed: ${KERNEL_ARG_PATTERNS.map((k) => k.form ?? k.example).join(", ")}.`,
  });

const memorySchema = wholeMiB("Memory", MEMORY_MIB_MIN, MEMORY_MIB_MAX);

export const createGuestSchema = z.strictObject({
  name: guestNameSchema,
  imageId: z.string().min(1, "Choose an image."),
  /** uml: a kernel of its own; context: a container on the host's kernel. */
  kind: z.enum(GUEST_KINDS, { error: "Choose uml or context." }).default("uml"),
  memoryMiB: memorySchema,
  kernelArgs: z
    .array(kernelArgSchema, { error: 'Kernel arguments are a list, for example ["quiet", "loglevel=3"].' })
    .max(8, "At most 8 extra kernel arguments.")
    .refine((args) => new Set(args).size === args.length, "Each kernel argument may appear once.")
    .default([]),
  network: z.enum(GUEST_NETWORKS, { error: "Choose user, bridge or none." }).default("user"),
  forwards: forwardsSchema.default([]),
  /** Set as root's password on the guest's first boot; stored only as a hash. */
  rootPassword: z.string().min(8, "Use at least 8 characters.").max(200).optional(),
  authorizedKeys: authorizedKeysSchema.optional(),
  /** The host to run it on (admins only); left out, Corral chooses (server/hosts/placement.ts). */
  hostId: hostIdSchema.optional(),
});
export type CreateGuestInput = z.input<typeof createGuestSchema>;

export const editGuestSchema = z.strictObject({
  memoryMiB: memorySchema.optional(),
  network: z.enum(GUEST_NETWORKS, { error: "Choose user, bridge or none." }).optional(),
  forwards: forwardsSchema.optional(),
});

export const snapshotNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "Use 1–63 characters: lower-case letters, digits, '.', '_' and '-'.");

export const resetGuestSchema = z.strictObject({
  /** Stop a running guest first (the person confirmed it); otherwise a running guest is refused. */
  stopFirst: z.boolean().default(false),
});
export const takeSnapshotSchema = z.strictObject({ name: snapshotNameSchema });
export const cloneGuestSchema = z.strictObject({ name: guestNameSchema });

export interface SnapshotView {
  id: string;
  name: string;
  sizeBytes: number;
  createdAt: string;
}

export const guestIdSchema = z.string().regex(/^[a-z0-9]{1,40}$/, "Not a guest id.");
export const bootNumberSchema = z.coerce.number().int().min(1, "Boot numbers start at 1.");

export const POWER_ACTIONS = ["start", "stop", "force-off", "reboot"] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** Errors the daemon returns: always this shape, with a message a person can act on. */
export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export interface GuestView {
  id: string;
  name: string;
  kind: GuestKind;
  network: GuestNetworkView;
  /** Whether a root password / SSH keys are set for the first boot (never the secrets). */
  hasRootPassword: boolean;
  hasAuthorizedKeys: boolean;
  /** Null for guests from before accounts existed. */
  ownerId: string | null;
  ownerName: string | null;
  imageId: string;
  imageName: string;
  memoryMiB: number;
  kernelArgs: string[];
  /** As stored, or "unknown" while its host is unreachable (lib/shared/host-reach.ts). */
  state: GuestViewState;
  stateReason: string | null;
  /** The host whose daemon runs it (null: not yet claimed by one). */
  hostName: string | null;
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
  /** The guest's console output recorded in the log. */
  logBytes: number;
  /** The log reached its size limit and recording stopped there (the guest ran on). */
  logTruncated: boolean;
  /** When the log was removed to keep the guest's logs within their bound; null while kept. */
  logPrunedAt: string | null;
  /** The boot's analysis in brief; null until it is analysed (at readiness and when it ends). */
  health: BootHealth | null;
}

export interface GuestStateEvent {
  id: string;
  ownerId: string | null;
  state: GuestState;
  stateReason: string | null;
  updatedAt: string;
  lastBoot: BootView | null;
}
