import fs from "node:fs";
import { seedFiles, type SeedSpec } from "../uml/seed-disk";
import { CONTAINER_IFACE } from "./context-network";

/**
 * A context guest's seed: the same files as a UML guest's seed disk (server/uml/seed-disk.ts),
 * in a folder LXC binds read-only at /mnt/seed, where the image's init reads them (busybox:
 * /etc/init.d/rcS). Rewritten before every boot; owned by the guest's mapped root (`uid`), so
 * root inside reads even the 0600 password hash, and nobody else on the host does.
 */
export async function writeSeedDir(dir: string, spec: SeedSpec, uid: number): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
  await fs.promises.mkdir(dir, { mode: 0o500 });
  for (const [name, { text, mode }] of Object.entries(seedFiles(spec, CONTAINER_IFACE))) {
    const file = `${dir}/${name}`;
    await fs.promises.writeFile(file, text, { mode });
    await fs.promises.chown(file, uid, uid);
  }
  await fs.promises.chown(dir, uid, uid);
}
