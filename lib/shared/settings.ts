// Defaults and value rules for the settings both the host daemon (server/config.ts) and the
// web (lib/server/env.ts) read from the environment: one place, so the two cannot disagree
// about where the daemon listens, which network a guest is on, or how large an upload may be.
import { z } from "zod";

export const DEFAULT_DAEMON_PORT = 4001;
export const DEFAULT_WEB_PORT = 3000;
/** Where forwarded host ports listen: loopback unless the site chose to expose them. */
export const DEFAULT_FORWARD_ADDRESS = "127.0.0.1";
/** The bridge's address and prefix; bridged guests get .10–.250 of it. */
export const DEFAULT_BRIDGE_CIDR = "10.77.0.1/24";
export const DEFAULT_UPLOAD_MAX_MIB = 4096;

export const portSchema = z.coerce.number().int().min(1).max(65535);
export const forwardAddressSchema = z.union([z.ipv4(), z.ipv6()], { error: "must be an IP address" });
export const bridgeCidrSchema = z
  .string()
  .regex(/^10\.\d{1,3}\.\d{1,3}\.1\/24$/, "must be a private /24 ending in .1, e.g. 10.77.0.1/24");
export const uploadMaxMiBSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(1024 * 1024);
/** A fleet's shared PostgreSQL (lib/server/database-url.ts); unset, the database is SQLite in the data directory. */
export const databaseUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/i, "must be a postgres:// or postgresql:// URL; unset it to use SQLite in CORRAL_DATA_DIR");
