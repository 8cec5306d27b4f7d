import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { dataDirectory } from "../lib/server/database-url";
import {
  bridgeCidrSchema,
  DEFAULT_BRIDGE_CIDR,
  DEFAULT_DAEMON_PORT,
  DEFAULT_FORWARD_ADDRESS,
  DEFAULT_UPLOAD_MAX_MIB,
  DEFAULT_WEB_PORT,
  forwardAddressSchema,
  portSchema,
  uploadMaxMiBSchema,
  databaseUrlSchema,
} from "../lib/shared/settings";

// This file runs as server/config.ts (tsx) or inside build/daemon.mjs (server/bundle.ts): one
// directory below the root either way.
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Paths end up inside kernel arguments such as `ubd0=<cow>,<image>`, where ',' and '='
// are separators and whitespace splits arguments: refuse them here, once, at start-up.
const safePath = z
  .string()
  .refine((p) => path.isAbsolute(p), "must be an absolute path")
  .refine((p) => !/[,=\s]/.test(p), "must not contain ',', '=' or whitespace");

const seconds = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const logMiB = (fallback: number) =>
  z.coerce
    .number()
    .min(1 / 16, "must be at least 0.0625 (64 KiB)")
    .max(1024 * 1024)
    .default(fallback);

const envSchema = z.object({
  CORRAL_DATA_DIR: safePath,
  // A fleet's shared PostgreSQL (lib/server/database-url.ts); unset: SQLite in CORRAL_DATA_DIR.
  CORRAL_DATABASE_URL: databaseUrlSchema.optional(),
  CORRAL_RUN_DIR: safePath.refine((p) => p.length <= 60, "must be at most 60 characters (unix socket paths are short)"),
  CORRAL_UML_BINARY: z.string().refine((p) => path.isAbsolute(p), "must be an absolute path"),
  CORRAL_UML_TMPDIR: safePath,
  CORRAL_DAEMON_HOST: z.string().min(1).default("127.0.0.1"),
  CORRAL_DAEMON_PORT: portSchema.default(DEFAULT_DAEMON_PORT),
  CORRAL_WEB_PORT: portSchema.default(DEFAULT_WEB_PORT),
  // Browsers on these origins may open consoles over socket.io; anything else is refused,
  // so a random web page cannot reach a console through the user's browser.
  CORRAL_WEB_ORIGINS: z.string().optional(),
  // A boot not ready yet is ended when its console is silent this long, or at the limit.
  CORRAL_BOOT_TIMEOUT_SECONDS: seconds(60, 3600),
  CORRAL_BOOT_LIMIT_SECONDS: seconds(900, 86400),
  CORRAL_STOP_TIMEOUT_SECONDS: seconds(30, 600),
  // Boots at once; the rest wait their turn in "queued". Unset: twice the cores.
  CORRAL_BOOT_SLOTS: z.coerce.number().int().min(1).max(1000).optional(),
  CORRAL_BOOT_SLOT_HOLD_SECONDS: seconds(20, 3600),
  // Read by server/uml/kernel-process.ts in the keeper; checked here so a bad value stops start-up.
  CORRAL_KERNEL_NICE: z.coerce.number().int().min(0).max(19).optional(),
  CORRAL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  CORRAL_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{1,31}$/, "must be 2–32 lower-case letters, digits, '.', '_' or '-'")
    .default("admin"),
  CORRAL_ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters").max(200).optional(),
  CORRAL_FORWARD_ADDRESS: forwardAddressSchema.default(DEFAULT_FORWARD_ADDRESS),
  CORRAL_BRIDGE: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,14}$/, "must be a network interface name (1–15 lower-case letters, digits, '-')")
    .optional(),
  CORRAL_BRIDGE_CIDR: bridgeCidrSchema.default(DEFAULT_BRIDGE_CIDR),
  CORRAL_BRIDGE_NETNS: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,64}$/, "must be a network namespace name")
    .optional(),
  CORRAL_GUEST_HOST_LOOPBACK: z.enum(["0", "1", "false", "true"]).default("false"),
  CORRAL_CONTEXT_GUESTS: z.enum(["auto", "off"]).default("auto"),
  CORRAL_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  CORRAL_QUOTA_GUESTS: z.coerce.number().int().min(0).max(10_000).default(5),
  CORRAL_QUOTA_MEMORY_MIB: z.coerce.number().int().min(0).default(1024),
  CORRAL_QUOTA_DISK_MIB: z.coerce.number().int().min(0).default(4096),
  // 0 turns sampling off.
  CORRAL_METRICS_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  // This host in the fleet's list (server/hosts/host-registry.ts).
  CORRAL_HOST_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/, "must be a host name: letters, digits, '.' and '-', at most 63")
    .optional(),
  CORRAL_HOST_ADDRESS: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  CORRAL_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  // How long another host's daemon may go without a word before a request to it fails (hosts/host-relay.ts).
  CORRAL_FLEET_ANSWER_MS: z.coerce.number().int().min(200).max(600_000).default(30_000),
  // Memory this host gives its guests in all (placement fills hosts up to it); unset: three quarters of its memory.
  CORRAL_GUEST_MEMORY_MIB: z.coerce.number().int().min(0).optional(),
  // The fleet's shared secret: daemons sign what they relay to each other with it (hosts/fleet-pass.ts).
  CORRAL_FLEET_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (e.g. the output of `openssl rand -base64 32`)")
    .max(512)
    .regex(/^\S+$/, "must not contain whitespace")
    .optional(),
  CORRAL_METRICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3660).default(31),
  // Host files may be imported as images from here only (after resolving symlinks).
  CORRAL_IMPORT_DIR: safePath,
  CORRAL_UPLOAD_MAX_MIB: uploadMaxMiBSchema.default(DEFAULT_UPLOAD_MAX_MIB),
  // At least twice a viewer's window (256 KiB), so a slow viewer is paused before it falls out of the ring.
  CORRAL_CONSOLE_RING_KIB: z.coerce
    .number()
    .int()
    .min(512)
    .max(64 * 1024)
    .default(1024),
  // Boot logs, in MiB (fractions allowed): each boot's log stops at the first; each guest's
  // logs together stay under the second, the oldest boots' removed first.
  CORRAL_BOOT_LOG_MAX_MIB: logMiB(16),
  CORRAL_GUEST_LOGS_MAX_MIB: logMiB(64),
  CORRAL_DEBIAN_MIRROR: z
    .string()
    .regex(/^https?:\/\/[^\s,]+$/, "must be an http:// or https:// URL")
    .optional(),
});

export type Config = {
  dataDir: string;
  runDir: string;
  umlBinary: string;
  umlTmpDir: string;
  host: string;
  port: number;
  webOrigins: string[];
  /** A boot not ready whose console is silent this long is ended. */
  bootTimeoutMs: number;
  /** A boot not ready this long after it began is ended, however much it prints. */
  bootLimitMs: number;
  stopTimeoutMs: number;
  /** How many guests boot at once, and how long a boot that never comes up holds its place. */
  bootAdmission: { slots: number; holdMs: number };
  logLevel: "debug" | "info" | "warn" | "error";
  /** How often guests and the host are sampled; 0 when sampling is off. */
  metricsIntervalMs: number;
  /** How long hourly metric rollups are kept. */
  metricsRetentionDays: number;
  /** This host as the fleet lists it, and how often its daemon says it is alive. */
  fleetHost: { name: string; address: string; heartbeatMs: number; answerMs: number };
  /** CORRAL_GUEST_MEMORY_MIB: memory running guests of this host may take in all; null: three quarters of the host's. */
  guestMemoryMiB: number | null;
  /** CORRAL_FLEET_SECRET: never logged or audited. Null: this daemon neither relays to nor accepts relays from other hosts. */
  fleetSecret: string | null;
  projectRoot: string;
  admin: { username: string; password: string | undefined };
  sessionMs: number;
  /** Where forwarded host ports listen. */
  forwardAddress: string;
  /** Whether guests reach the host's loopback services as 10.0.2.2. */
  guestHostLoopback: boolean;
  /** Whether context guests (LXC) may run here: "auto" when the host has what they need. */
  contextGuests: "auto" | "off";
  /** Bridge networking (root only): the bridge, its address, and the namespace it lives in. */
  bridge: { name: string; cidr: string; netns: string | null } | null;
  defaultQuota: { maxGuests: number; maxMemoryMiB: number; maxDiskMiB: number };
  importDir: string;
  uploadMaxBytes: number;
  /** Recent console output each guest's console keeps for viewers to resume from, in characters. */
  consoleRingChars: number;
  /** Unset: debootstrap's own default mirror for the suite. */
  debianMirror: string | undefined;
  /** Bounds on boot logs: one boot's log, and all of one guest's together (bytes). */
  bootLogs: { bootMaxBytes: number; guestMaxBytes: number };
};

function defaultUmlTmpDir(): string {
  // UML backs guest RAM with a deleted file here; tmpfs keeps that memory-speed.
  try {
    fs.accessSync("/dev/shm", fs.constants.W_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
}

function defaultRunDir(dataDir: string): string {
  // Sockets live outside the data directory: unix socket paths are limited to 108 bytes,
  // and Next's file scanning chokes on sockets inside the project.
  const tag = Buffer.from(dataDir).toString("base64url").slice(-10);
  return path.join(os.tmpdir(), `corral-${process.getuid?.() ?? 0}-${tag}`);
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = dataDirectory(env);
  const parsed = envSchema.safeParse({
    ...env,
    CORRAL_DATA_DIR: dataDir,
    CORRAL_RUN_DIR: env.CORRAL_RUN_DIR || defaultRunDir(dataDir),
    CORRAL_UML_BINARY: env.CORRAL_UML_BINARY || path.join(projectRoot, "vendor/kernel/linux.uml"),
    CORRAL_UML_TMPDIR: env.CORRAL_UML_TMPDIR || defaultUmlTmpDir(),
    CORRAL_IMPORT_DIR: env.CORRAL_IMPORT_DIR || path.join(dataDir, "import"),
    CORRAL_DEBIAN_MIRROR: env.CORRAL_DEBIAN_MIRROR || undefined,
    CORRAL_DATABASE_URL: env.CORRAL_DATABASE_URL?.trim() || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.CORRAL_GUEST_LOGS_MAX_MIB < e.CORRAL_BOOT_LOG_MAX_MIB) {
    throw new ConfigError(
      `Invalid configuration:\n  CORRAL_GUEST_LOGS_MAX_MIB: ${e.CORRAL_GUEST_LOGS_MAX_MIB} is less than ` +
        `CORRAL_BOOT_LOG_MAX_MIB (${e.CORRAL_BOOT_LOG_MAX_MIB}); a guest's logs must have room for at least one whole boot's.`,
    );
  }
  if (e.CORRAL_BOOT_LIMIT_SECONDS < e.CORRAL_BOOT_TIMEOUT_SECONDS) {
    throw new ConfigError(
      `Invalid configuration:\n  CORRAL_BOOT_LIMIT_SECONDS: ${e.CORRAL_BOOT_LIMIT_SECONDS} is less than ` +
        `CORRAL_BOOT_TIMEOUT_SECONDS (${e.CORRAL_BOOT_TIMEOUT_SECONDS}); the limit is a whole boot's, the timeout one silence's.`,
    );
  }
  if (!fs.existsSync(e.CORRAL_UML_BINARY)) {
    throw new ConfigError(
      `Invalid configuration:\n  CORRAL_UML_BINARY: ${e.CORRAL_UML_BINARY} does not exist. ` +
        `Run scripts/install-kernel.sh (npm start does) or point CORRAL_UML_BINARY at a linux.uml.`,
    );
  }
  return {
    dataDir: e.CORRAL_DATA_DIR,
    runDir: e.CORRAL_RUN_DIR,
    umlBinary: e.CORRAL_UML_BINARY,
    umlTmpDir: e.CORRAL_UML_TMPDIR,
    host: e.CORRAL_DAEMON_HOST,
    port: e.CORRAL_DAEMON_PORT,
    webOrigins: (e.CORRAL_WEB_ORIGINS ?? `http://localhost:${e.CORRAL_WEB_PORT},http://127.0.0.1:${e.CORRAL_WEB_PORT}`)
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    bootTimeoutMs: e.CORRAL_BOOT_TIMEOUT_SECONDS * 1000,
    bootLimitMs: e.CORRAL_BOOT_LIMIT_SECONDS * 1000,
    stopTimeoutMs: e.CORRAL_STOP_TIMEOUT_SECONDS * 1000,
    bootAdmission: {
      slots: e.CORRAL_BOOT_SLOTS ?? 2 * os.availableParallelism(),
      holdMs: e.CORRAL_BOOT_SLOT_HOLD_SECONDS * 1000,
    },
    logLevel: e.CORRAL_LOG_LEVEL,
    metricsIntervalMs: Math.round(e.CORRAL_METRICS_INTERVAL_SECONDS * 1000),
    metricsRetentionDays: e.CORRAL_METRICS_RETENTION_DAYS,
    fleetHost: {
      name: e.CORRAL_HOST_NAME ?? os.hostname(),
      address: e.CORRAL_HOST_ADDRESS ?? `http://${e.CORRAL_DAEMON_HOST}:${e.CORRAL_DAEMON_PORT}`,
      heartbeatMs: e.CORRAL_HEARTBEAT_SECONDS * 1000,
      answerMs: e.CORRAL_FLEET_ANSWER_MS,
    },
    guestMemoryMiB: e.CORRAL_GUEST_MEMORY_MIB ?? null,
    fleetSecret: e.CORRAL_FLEET_SECRET ?? null,
    projectRoot,
    admin: { username: e.CORRAL_ADMIN_USERNAME, password: e.CORRAL_ADMIN_PASSWORD },
    sessionMs: e.CORRAL_SESSION_HOURS * 3600_000,
    forwardAddress: e.CORRAL_FORWARD_ADDRESS,
    guestHostLoopback: e.CORRAL_GUEST_HOST_LOOPBACK === "1" || e.CORRAL_GUEST_HOST_LOOPBACK === "true",
    contextGuests: e.CORRAL_CONTEXT_GUESTS,
    bridge: e.CORRAL_BRIDGE
      ? { name: e.CORRAL_BRIDGE, cidr: e.CORRAL_BRIDGE_CIDR, netns: e.CORRAL_BRIDGE_NETNS ?? null }
      : null,
    defaultQuota: {
      maxGuests: e.CORRAL_QUOTA_GUESTS,
      maxMemoryMiB: e.CORRAL_QUOTA_MEMORY_MIB,
      maxDiskMiB: e.CORRAL_QUOTA_DISK_MIB,
    },
    importDir: e.CORRAL_IMPORT_DIR,
    uploadMaxBytes: e.CORRAL_UPLOAD_MAX_MIB * 1024 * 1024,
    debianMirror: e.CORRAL_DEBIAN_MIRROR,
    consoleRingChars: e.CORRAL_CONSOLE_RING_KIB * 1024,
    bootLogs: {
      bootMaxBytes: Math.floor(e.CORRAL_BOOT_LOG_MAX_MIB * 1024 * 1024),
      guestMaxBytes: Math.floor(e.CORRAL_GUEST_LOGS_MAX_MIB * 1024 * 1024),
    },
  };
}
