// Guest networking: network modes, port forwards, SSH keys for the first boot, and their views.
import { z } from "zod";

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

export const forwardsSchema = z
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
