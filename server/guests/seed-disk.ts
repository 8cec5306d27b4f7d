import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { USER_NET } from "../../lib/network";

const run = promisify(execFile);

export interface SeedSpec {
  hostname: string;
  network: "user" | "none";
  rootPasswordHash: string | null;
  authorizedKeys: string | null;
}

/**
 * A guest's per-guest identity without touching its image (cloud-init's NoCloud idea): a
 * tiny read-only ext2 disk, label CORRALSEED, attached as /dev/ubdb. The guest's own init
 * reads it — hostname and network every boot; root password and SSH keys on the first boot
 * only — and whatever it changes lands in the guest's COW layer. Files: `hostname`,
 * `network` (IFACE, ADDRESS, GATEWAY, DNS lines; absent without a network),
 * `root-password-hash` (crypt SHA-512), `authorized_keys`.
 */
export async function writeSeedDisk(file: string, spec: SeedSpec): Promise<void> {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "corral-seed-"));
  const partial = `${file}.partial`;
  try {
    fs.writeFileSync(path.join(staging, "hostname"), `${spec.hostname}\n`);
    if (spec.network === "user") {
      const lines = [
        `IFACE=${USER_NET.iface}`,
        `ADDRESS=${USER_NET.address}`,
        `GATEWAY=${USER_NET.gateway}`,
        `DNS=${USER_NET.dns}`,
      ];
      fs.writeFileSync(path.join(staging, "network"), lines.join("\n") + "\n");
    }
    if (spec.rootPasswordHash)
      fs.writeFileSync(path.join(staging, "root-password-hash"), `${spec.rootPasswordHash}\n`, { mode: 0o600 });
    if (spec.authorizedKeys) fs.writeFileSync(path.join(staging, "authorized_keys"), `${spec.authorizedKeys.trim()}\n`);
    fs.rmSync(partial, { force: true });
    await run(fs.existsSync("/usr/sbin/mke2fs") ? "/usr/sbin/mke2fs" : "/sbin/mke2fs", [
      "-q",
      "-F",
      "-t",
      "ext2",
      "-L",
      "CORRALSEED",
      "-d",
      staging,
      partial,
      "1M",
    ]);
    fs.chmodSync(partial, 0o400);
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
}
