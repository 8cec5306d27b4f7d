import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { USER_NET } from "../../lib/shared/network";
import { buildExt2Image, writeExt2Image } from "./ext2-image";

const run = promisify(execFile);
const MKE2FS = fs.existsSync("/usr/sbin/mke2fs") ? "/usr/sbin/mke2fs" : "/sbin/mke2fs";

export interface SeedSpec {
  hostname: string;
  /** The guest's own network, as its init should configure it (absent: no network). */
  network: { address: string; gateway: string; dns: string | null; dhcp: boolean } | null;
  rootPasswordHash: string | null;
  authorizedKeys: string | null;
}

/**
 * A guest's per-guest identity without touching its image (cloud-init's NoCloud idea): a
 * tiny read-only ext2 disk, label CORRALSEED, attached as /dev/ubdb. The guest's own init
 * reads it — hostname and network every boot; root password and SSH keys on the first boot
 * only — and whatever it changes lands in the guest's COW layer. Files: `hostname`,
 * `network` (IFACE, ADDRESS, GATEWAY, optional DNS lines, and DHCP=1 where a DHCP server hands
 * out that same address — an init with a DHCP client asks it, one without uses ADDRESS;
 * absent without a network),
 * `root-password-hash` (crypt SHA-512), `authorized_keys`.
 *
 * The disk's first bytes, which ext2 leaves unused (its superblock starts at byte 1024), also
 * hold a plain-text header (seedHeader): an init can read the name and network from the disk
 * itself with the shell's `read`, mounting nothing, and needs the file system only for a
 * first boot with a password or keys.
 */
export async function writeSeedDisk(file: string, spec: SeedSpec): Promise<void> {
  const files = seedFiles(spec, USER_NET.iface);
  const digest = seedDigest(files);
  const digestFile = `${file}.sha256`;
  const [stored, present] = await Promise.all([
    fs.promises.readFile(digestFile, "utf8").catch(() => null),
    fs.promises.access(file).then(
      () => true,
      () => false,
    ),
  ]);
  // Made from the same files already: a restart spawns no mke2fs.
  if (present && stored === digest) return;
  // The digest goes first and comes back last: a crash in between leaves none, never a
  // digest that names files the disk does not hold.
  await fs.promises.rm(digestFile, { force: true });
  await makeSeedDisk(file, files);
  await fs.promises.writeFile(digestFile, digest);
}

/** What a seed disk holds, as one digest: names, modes and texts. */
function seedDigest(files: Record<string, { text: string; mode: number }>): string {
  const h = createHash("sha256");
  // The header's version too: a seed made before it (or with an older one) is made again.
  h.update(SEED_HEADER_MAGIC);
  for (const name of Object.keys(files).sort()) h.update(JSON.stringify([name, files[name].mode, files[name].text]));
  return h.digest("hex");
}

async function makeSeedDisk(file: string, files: Record<string, { text: string; mode: number }>): Promise<void> {
  const image = buildExt2Image(files, "CORRALSEED");
  if (!image) return makeSeedDiskWithMke2fs(file, files);
  const partial = `${file}.partial`;
  try {
    await fs.promises.rm(partial, { force: true }); // a crashed daemon's leftover
    seedHeader(files).copy(image.data, 0);
    await writeExt2Image(partial, image);
    await fs.promises.rename(partial, file);
  } finally {
    await fs.promises.rm(partial, { force: true });
  }
}

/** Files too large for the in-memory image (keys over 12 KiB): mke2fs, a fork of the daemon. */
async function makeSeedDiskWithMke2fs(
  file: string,
  files: Record<string, { text: string; mode: number }>,
): Promise<void> {
  const staging = await fs.promises.mkdtemp(path.join(os.tmpdir(), "corral-seed-"));
  const partial = `${file}.partial`;
  try {
    for (const [name, { text, mode }] of Object.entries(files)) {
      await fs.promises.writeFile(path.join(staging, name), text, { mode });
    }
    await fs.promises.rm(partial, { force: true });
    await run(MKE2FS, ["-q", "-F", "-t", "ext2", "-L", "CORRALSEED", "-d", staging, partial, "1M"]);
    const fh = await fs.promises.open(partial, "r+");
    try {
      await fh.write(seedHeader(files), 0, undefined, 0);
    } finally {
      await fh.close();
    }
    await fs.promises.chmod(partial, 0o400);
    await fs.promises.rename(partial, file);
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true });
    await fs.promises.rm(partial, { force: true });
  }
}

/** The header's first line; the number changes with its format. */
export const SEED_HEADER_MAGIC = "CORRAL-SEED 1";
/** Room for the header: below where an MBR's partition table would start (byte 446). */
const SEED_HEADER_BYTES = 440;

/**
 * The seed's header, zero-padded to SEED_HEADER_BYTES: the magic line, `HOSTNAME=`, the
 * `network` file's lines, `FIRSTBOOT=1` when the seed holds a root password hash or keys
 * (a first boot then reads the file system), and `END`. Empty (zeros) if it would not fit:
 * an init that finds no magic mounts the file system as before.
 */
export function seedHeader(files: Record<string, { text: string; mode: number }>): Buffer {
  const lines = [SEED_HEADER_MAGIC, `HOSTNAME=${files.hostname.text.trim()}`];
  if (files.network) lines.push(...files.network.text.trim().split("\n"));
  if (files["root-password-hash"] || files.authorized_keys) lines.push("FIRSTBOOT=1");
  lines.push("END");
  const text = Buffer.from(lines.join("\n") + "\n");
  const header = Buffer.alloc(SEED_HEADER_BYTES);
  if (text.length <= SEED_HEADER_BYTES) text.copy(header);
  return header;
}

/** The seed's files by name (the contract above), with `iface` as the guest's interface. */
export function seedFiles(spec: SeedSpec, iface: string): Record<string, { text: string; mode: number }> {
  const files: Record<string, { text: string; mode: number }> = {
    hostname: { text: `${spec.hostname}\n`, mode: 0o644 },
  };
  const net = spec.network;
  if (net) {
    const lines = [`IFACE=${iface}`, `ADDRESS=${net.address}`, `GATEWAY=${net.gateway}`];
    if (net.dns) lines.push(`DNS=${net.dns}`);
    if (net.dhcp) lines.push("DHCP=1");
    files.network = { text: lines.join("\n") + "\n", mode: 0o644 };
  }
  if (spec.rootPasswordHash) files["root-password-hash"] = { text: `${spec.rootPasswordHash}\n`, mode: 0o600 };
  if (spec.authorizedKeys) files.authorized_keys = { text: `${spec.authorizedKeys.trim()}\n`, mode: 0o644 };
  return files;
}
