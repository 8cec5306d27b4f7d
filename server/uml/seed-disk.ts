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
  for (const name of Object.keys(files).sort()) h.update(JSON.stringify([name, files[name].mode, files[name].text]));
  return h.digest("hex");
}

async function makeSeedDisk(file: string, files: Record<string, { text: string; mode: number }>): Promise<void> {
  const image = buildExt2Image(files, "CORRALSEED");
  if (!image) return makeSeedDiskWithMke2fs(file, files);
  const partial = `${file}.partial`;
  try {
    await fs.promises.rm(partial, { force: true }); // a crashed daemon's leftover
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
    await fs.promises.chmod(partial, 0o400);
    await fs.promises.rename(partial, file);
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true });
    await fs.promises.rm(partial, { force: true });
  }
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
