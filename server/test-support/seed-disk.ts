import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** `openssl passwd -6 -salt corraltest corral-root-pw`: a fixture, so tests need no crypt tool. */
export const TEST_ROOT_PASSWORD = "corral-root-pw";
export const TEST_ROOT_PASSWORD_HASH =
  "$6$corraltest$boZ/8/ew.gZwRO5fVTEVdTNadUxlqvUw4StpUtSeJCVNKKZSqaRG5PdDu4AU26sOwFWaurQIpVwFeZXieigqt0";

export interface SeedContents {
  hostname: string;
  network?: { address: string; gateway: string; dns: string; iface: string };
  rootPasswordHash?: string;
  authorizedKeys?: string;
}

/**
 * A seed disk as the contract describes it (the daemon makes these for real guests): a
 * small ext2 filesystem labelled CORRALSEED holding plain files, attached read-only as ubdb.
 */
export function buildSeedDisk(file: string, seed: SeedContents): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-seed-"));
  try {
    fs.writeFileSync(path.join(dir, "hostname"), `${seed.hostname}\n`);
    if (seed.network) {
      const n = seed.network;
      fs.writeFileSync(
        path.join(dir, "network"),
        `ADDRESS=${n.address}\nGATEWAY=${n.gateway}\nDNS=${n.dns}\nIFACE=${n.iface}\n`,
      );
    }
    if (seed.rootPasswordHash) fs.writeFileSync(path.join(dir, "root-password-hash"), `${seed.rootPasswordHash}\n`);
    if (seed.authorizedKeys) fs.writeFileSync(path.join(dir, "authorized_keys"), seed.authorizedKeys);
    fs.rmSync(file, { force: true });
    execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", "ext2", "-L", "CORRALSEED", "-d", dir, file, "1M"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
