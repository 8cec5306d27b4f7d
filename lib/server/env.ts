// The web's environment, read and checked once. The web shares its settings with the host
// daemon (the same variables, the same defaults from lib/shared/settings.ts); a bad value
// stops the web server at start-up with a message naming it, as it stops the daemon.
// No "server-only" marker: the launcher (scripts/web-server.ts) and unit tests import this
// too. Only lib/server modules import it, so it never reaches a browser bundle.
import path from "node:path";
import { z } from "zod";
import type { NetworkSettings } from "../shared/network";
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
} from "../shared/settings";
import { databaseUrl, dataDirectory, type Env } from "./database-url";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

const webEnvSchema = z.object({
  CORRAL_DAEMON_URL: httpUrl.optional(),
  CORRAL_DAEMON_PORT: portSchema.default(DEFAULT_DAEMON_PORT),
  CORRAL_DAEMON_PUBLIC_URL: httpUrl.optional(),
  CORRAL_WEB_HOST: z.string().default("127.0.0.1"),
  CORRAL_WEB_PORT: portSchema.default(DEFAULT_WEB_PORT),
  CORRAL_WEB_TRUST_PROXY: z.string().optional(),
  CORRAL_IMPORT_DIR: z
    .string()
    .refine((p) => path.isAbsolute(p), "must be an absolute path")
    .optional(),
  CORRAL_UPLOAD_MAX_MIB: uploadMaxMiBSchema.default(DEFAULT_UPLOAD_MAX_MIB),
  CORRAL_BRIDGE_CIDR: bridgeCidrSchema.default(DEFAULT_BRIDGE_CIDR),
  CORRAL_FORWARD_ADDRESS: forwardAddressSchema.default(DEFAULT_FORWARD_ADDRESS),
  CORRAL_DATABASE_URL: databaseUrlSchema.optional(),
});

export interface WebEnv {
  /** Where the web server reaches the daemon's HTTP API. */
  daemonUrl: string;
  daemonPort: number;
  /** Where browsers reach the daemon's socket.io, when set (e.g. behind a proxy). */
  daemonPublicUrl: string | null;
  /** Where the web server listens (scripts/web-server.ts). */
  webHost: string;
  webPort: number;
  /** Keep the X-Forwarded-For a reverse proxy in front of the web set. */
  trustProxy: boolean;
  databaseUrl: string;
  importDir: string;
  uploadMaxBytes: number;
  network: NetworkSettings;
}

export class WebEnvError extends Error {}

/** Parses `env`; throws WebEnvError naming every bad variable. */
export function parseWebEnv(env: Env): WebEnv {
  // An empty variable means unset, as it always has for the web.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = webEnvSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new WebEnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = dataDirectory(given);
  return {
    daemonUrl: e.CORRAL_DAEMON_URL ?? `http://127.0.0.1:${e.CORRAL_DAEMON_PORT}`,
    daemonPort: e.CORRAL_DAEMON_PORT,
    daemonPublicUrl: e.CORRAL_DAEMON_PUBLIC_URL ?? null,
    webHost: e.CORRAL_WEB_HOST,
    webPort: e.CORRAL_WEB_PORT,
    trustProxy: e.CORRAL_WEB_TRUST_PROXY === "1",
    databaseUrl: databaseUrl(given),
    importDir: e.CORRAL_IMPORT_DIR ?? path.join(/*turbopackIgnore: true*/ dataDir, "import"),
    uploadMaxBytes: e.CORRAL_UPLOAD_MAX_MIB * 1024 * 1024,
    network: { bridgeCidr: e.CORRAL_BRIDGE_CIDR, forwardAddress: e.CORRAL_FORWARD_ADDRESS },
  };
}

let cached: WebEnv | undefined;

/** The web server's environment, parsed on first use. */
export function webEnv(): WebEnv {
  cached ??= parseWebEnv(process.env);
  return cached;
}
