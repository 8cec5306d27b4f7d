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

/** user: a private NAT network (no privileges); bridge: the host's bridge, DHCP from dnsmasq (root, when enabled). */
export const GUEST_NETWORKS = ["user", "bridge", "none"] as const;
export type GuestNetwork = (typeof GUEST_NETWORKS)[number];

export const portForwardSchema = z.strictObject({
  protocol: z.enum(["tcp", "udp"], { error: "Use tcp or udp." }).default("tcp"),
  hostPort: z
    .number({ error: "Host port must be a number." })
    .int()
    .min(1024, "Host ports below 1024 need privileges; use 1024–65535.")
    .max(65535, "Ports go up to 65535."),
  guestPort: z
    .number({ error: "Guest port must be a number." })
    .int()
    .min(1, "Ports start at 1.")
    .max(65535, "Ports go up to 65535."),
});
export type PortForwardInput = z.input<typeof portForwardSchema>;

const forwardsSchema = z
  .array(portForwardSchema)
  .max(16, "At most 16 port forwards per guest.")
  .refine(
    (fs) => new Set(fs.map((f) => `${f.protocol ?? "tcp"}/${f.hostPort}`)).size === fs.length,
    "Each host port may be forwarded once.",
  );

// One OpenSSH public key per line: type, base64, optional comment; nothing that could break a file.
export const authorizedKeysSchema = z
  .string()
  .max(16 * 1024, "At most 16 KiB of keys.")
  .refine(
    (text) =>
      text
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .every((l) =>
          /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( [\x20-\x7e]{0,200})?$/.test(
            l,
          ),
        ),
    "Paste OpenSSH public keys, one per line (ssh-ed25519 AAAA… comment).",
  );

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
  network: z.enum(GUEST_NETWORKS, { error: "Choose user, bridge or none." }).default("user"),
  forwards: forwardsSchema.default([]),
  /** Set as root's password on the guest's first boot; stored only as a hash. */
  rootPassword: z.string().min(8, "Use at least 8 characters.").max(200).optional(),
  authorizedKeys: authorizedKeysSchema.optional(),
});
export type CreateGuestInput = z.input<typeof createGuestSchema>;

export const snapshotNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "Use 1–63 characters: lower-case letters, digits, '.', '_' and '-'.");
export const imageNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9._-]{0,62}$/,
    "Use 1–63 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter.",
  );

export const resetGuestSchema = z.strictObject({
  /** Stop a running guest first (the person confirmed it); otherwise a running guest is refused. */
  stopFirst: z.boolean().default(false),
});
export const takeSnapshotSchema = z.strictObject({ name: snapshotNameSchema });
export const cloneGuestSchema = z.strictObject({ name: guestNameSchema });
export const commitGuestSchema = z.strictObject({ imageName: imageNameSchema });

export interface SnapshotView {
  id: string;
  name: string;
  sizeBytes: number;
  createdAt: string;
}

export const guestIdSchema = z.string().regex(/^[a-z0-9]{1,40}$/, "Not a guest id.");
export const bootNumberSchema = z.coerce.number().int().min(1, "Boot numbers start at 1.");

export const GUEST_ACTIONS = ["start", "stop", "force-off", "reboot"] as const;
export type GuestAction = (typeof GUEST_ACTIONS)[number];

/** Errors the daemon returns: always this shape, with a message a person can act on. */
export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export interface PortForwardView {
  protocol: "tcp" | "udp";
  hostAddress: string;
  hostPort: number;
  guestPort: number;
}

export interface GuestNetworkView {
  mode: GuestNetwork;
  /** The guest's own address and gateway on its private network (null without one). */
  address: string | null;
  gateway: string | null;
  /** Bridged guests: their fixed MAC address (the DHCP lease follows it). */
  mac: string | null;
  forwards: PortForwardView[];
}

export interface GuestView {
  id: string;
  name: string;
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

/** An image and what uses it: the detail page's content. */
export interface ImageDetailView extends ImageView {
  guests: Array<{ id: string; name: string; state: GuestState; snapshots: SnapshotView[] }>;
}

// --- the image library: import and build ---------------------------------------------------

/** A path relative to the import directory: no absolute paths, no `..`, no empty segments. */
export const importPathSchema = z
  .string()
  .min(1, "Name a file in the import directory.")
  .max(1024)
  .refine((p) => !p.startsWith("/"), "Give a path relative to the import directory, not an absolute one.")
  .refine(
    (p) => p.split("/").every((seg) => seg !== ".." && seg !== "." && seg !== ""),
    "The path may not contain '..', '.' or empty segments.",
  )
  .refine((p) => !p.includes("\0"), "The path may not contain a NUL byte.");
export const importImageSchema = z.strictObject({ name: imageNameSchema, path: importPathSchema });
export const uploadImageQuerySchema = z.strictObject({
  name: imageNameSchema,
  /** The file's size in bytes, announced up front so an oversize upload is refused before it starts. */
  size: z.coerce.number().int().min(1, "The file is empty.").optional(),
});

export const DEBIAN_SUITES = ["bookworm", "trixie"] as const;
export const DEBIAN_SIZE_MIB_MIN = 512;
export const DEBIAN_SIZE_MIB_MAX = 65536;
/** Debian package names (Policy §5.6.1), optionally with an architecture qualifier. */
export const debianPackageSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]{1,62}(:[a-z0-9-]{1,16})?$/, "Not a Debian package name.");
export const debianBuildSchema = z.strictObject({
  name: imageNameSchema,
  suite: z.enum(DEBIAN_SUITES, { error: `Choose a suite: ${DEBIAN_SUITES.join(", ")}.` }),
  sizeMiB: z
    .number({ error: "Size must be a whole number of MiB." })
    .int("Size must be a whole number of MiB.")
    .min(DEBIAN_SIZE_MIB_MIN, `Size must be at least ${DEBIAN_SIZE_MIB_MIN} MiB.`)
    .max(DEBIAN_SIZE_MIB_MAX, `Size must be at most ${DEBIAN_SIZE_MIB_MAX} MiB.`),
  packages: z
    .array(debianPackageSchema)
    .max(64, "At most 64 extra packages.")
    .refine((p) => new Set(p).size === p.length, "Each package may appear once.")
    .default([]),
});
export type DebianBuildInput = z.input<typeof debianBuildSchema>;

/** The stages of a Debian build, in order, as the page shows them. */
export const IMAGE_BUILD_STAGES = ["download", "extract", "configure", "filesystem"] as const;
export type ImageBuildStage = (typeof IMAGE_BUILD_STAGES)[number];
export const IMAGE_BUILD_STATUSES = ["running", "succeeded", "failed", "cancelled"] as const;
export type ImageBuildStatus = (typeof IMAGE_BUILD_STATUSES)[number];
export const imageBuildIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, "Not a build id.");

export interface ImageBuildView {
  id: string;
  name: string;
  suite: string;
  sizeMiB: number;
  packages: string[];
  status: ImageBuildStatus;
  stage: ImageBuildStage | null;
  /** Within the stage, when it can be told; null while it cannot. */
  percent: number | null;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  /** The registered image, once the build succeeded. */
  imageId: string | null;
}

/** One line of a build's log, with where the build is now; `build` when its status changed. */
export interface ImageBuildEvent {
  buildId: string;
  stage: ImageBuildStage | null;
  percent: number | null;
  line: string | null;
  build?: ImageBuildView;
}

export interface HostView {
  kernelVersion: string;
  memoryTotalMiB: number;
  /** The most memory one guest may be given on this host right now. */
  guestMemoryMaxMiB: number;
  /** The host bridge guests may join (null: bridge networking is not enabled). */
  bridge: { name: string; cidr: string } | null;
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

export interface GuestStateEvent {
  id: string;
  ownerId: string | null;
  state: GuestState;
  stateReason: string | null;
  updatedAt: string;
  lastBoot: BootView | null;
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

// --- people ------------------------------------------------------------------------------

export const usernameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_.-]{1,31}$/,
    "Use 2–32 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter.",
  );
export const passwordSchema = z.string().min(10, "Use at least 10 characters.").max(200, "Use at most 200 characters.");
export const roleSchema = z.enum(["admin", "developer", "manager"], { error: "Choose admin, developer or manager." });

export const loginSchema = z.strictObject({
  username: z.string().min(1, "Enter your username.").max(64),
  password: z.string().min(1, "Enter your password.").max(200),
});
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});

const quotaNumber = (max: number) => z.number().int().min(0).max(max).nullable();
export const quotaSchema = z.strictObject({
  maxGuests: quotaNumber(10_000).optional(),
  maxMemoryMiB: quotaNumber(10_000_000).optional(),
  maxDiskMiB: quotaNumber(100_000_000).optional(),
});
export const createUserSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(64).optional(),
  role: roleSchema,
  /** Omit to have a password generated; it is returned once. */
  password: passwordSchema.optional(),
  quota: quotaSchema.optional(),
});
export const updateUserSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(64).nullable().optional(),
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  quota: quotaSchema.optional(),
});
export const resetPasswordSchema = z.strictObject({ password: passwordSchema.optional() });
export const editGuestSchema = z.strictObject({
  memoryMiB: z
    .number({ error: "Memory must be a whole number of MiB." })
    .int("Memory must be a whole number of MiB.")
    .min(MEMORY_MIB_MIN, `Memory must be at least ${MEMORY_MIB_MIN} MiB.`)
    .max(MEMORY_MIB_MAX, `Memory must be at most ${MEMORY_MIB_MAX} MiB.`)
    .optional(),
  network: z.enum(GUEST_NETWORKS, { error: "Choose user, bridge or none." }).optional(),
  forwards: forwardsSchema.optional(),
});

export interface QuotaView {
  maxGuests: number;
  maxMemoryMiB: number;
  maxDiskMiB: number;
}
export interface UsageView {
  guests: number;
  memoryMiB: number;
  diskMiB: number;
}
export interface UserView {
  id: string;
  username: string;
  displayName: string | null;
  role: "admin" | "developer" | "manager";
  disabled: boolean;
  createdAt: string;
  /** Developers only: the limits in force (site defaults where not set). */
  quota: QuotaView | null;
  usage: UsageView;
}
export interface MeView {
  user: UserView;
}

export const AUDIT_OUTCOMES = ["ok", "denied", "failed"] as const;
export const auditQuerySchema = z.strictObject({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export interface AuditEntryView {
  id: number;
  at: string;
  actor: string | null;
  ip: string | null;
  action: string;
  target: string | null;
  outcome: (typeof AUDIT_OUTCOMES)[number];
  detail: string | null;
}
export interface AuditVerifyView {
  ok: boolean;
  entries: number;
  /** The first entry whose hash does not follow from its predecessor. */
  brokenAt: number | null;
  reason: string | null;
}
