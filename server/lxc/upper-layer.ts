import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { DiskLayer } from "../drivers/guest-driver";
import { copySparse } from "../storage/disk-files";
import { copyShiftedLayer, LAYER_TAR } from "./layer-copy";
import { mergeLayer } from "./layer-merge";
import { contextPaths } from "./lxc-paths";

const run = promisify(execFile);

/** Bytes a folder tree occupies on disk (allocated blocks, not apparent sizes). */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await treeBytes(p);
    const st = await fs.promises.lstat(p).catch(() => null);
    if (st) total += st.blocks * 512;
  }
  return total;
}

/**
 * A context guest's writable layer: overlayfs's upper folder over the read-only image, and
 * its work folder. Both belong to the guest's uid range (`base`), never to host root; the
 * files inside keep the owners the guest gave them. Snapshots are tar archives with numeric
 * owners (overlay whiteouts are 0:0 character devices: tar keeps them) and every xattr.
 */
export class UpperLayer implements DiskLayer {
  constructor(
    private readonly dataDir: string,
    /** The guest's range, or null when it never started (then there is no layer either). */
    private readonly baseOf: (guestId: string) => Promise<number | null>,
    /** Gives a guest its range now (a clone's layer must be owned by it before its first start). */
    private readonly allocateBase: (guestId: string) => Promise<number>,
  ) {}

  private paths(guestId: string) {
    return contextPaths(this.dataDir, guestId);
  }

  /** Makes upper/ and work/ exist, empty if new, owned by the guest's range. */
  async prepare(guestId: string, base: number): Promise<void> {
    const { upper, work } = this.paths(guestId);
    for (const dir of [upper, work]) {
      await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.chown(dir, base, base);
    }
  }

  async check(): Promise<void> {}

  allocatedBytes = (guestId: string) => treeBytes(this.paths(guestId).upper);
  changedBytes = (guestId: string) => treeBytes(this.paths(guestId).upper);

  async discard(guestId: string): Promise<number> {
    const { upper, work } = this.paths(guestId);
    const bytes = await treeBytes(upper);
    await fs.promises.rm(upper, { recursive: true, force: true });
    await fs.promises.rm(work, { recursive: true, force: true });
    const base = await this.baseOf(guestId);
    if (base !== null) await this.prepare(guestId, base);
    return bytes;
  }

  async saveTo(guestId: string, file: string): Promise<boolean> {
    const { upper } = this.paths(guestId);
    if (!fs.existsSync(upper)) return false;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await run("tar", [...LAYER_TAR, "--sparse", "-C", upper, "-cpf", file, "."]);
    return true;
  }

  async restoreFrom(guestId: string, file: string | null): Promise<void> {
    await this.discard(guestId);
    if (!file || !fs.existsSync(file)) return;
    const { upper } = this.paths(guestId);
    await fs.promises.mkdir(upper, { recursive: true });
    await run("tar", [...LAYER_TAR, "-C", upper, "-xpf", file]);
  }

  /**
   * The other guest gets a copy of this layer with every owner moved from this guest's uid
   * range to its own (allocated now), so each guest's files stay in its own range on the host.
   */
  async cloneTo(guestId: string, otherGuestId: string): Promise<void> {
    const { upper } = this.paths(guestId);
    if (!fs.existsSync(upper)) return;
    const from = await this.layerBase(guestId);
    const to = await this.allocateBase(otherGuestId);
    const target = this.paths(otherGuestId);
    await copyShiftedLayer(upper, target.upper, from, to, path.join(path.dirname(target.upper), ".clone"));
    await this.prepare(otherGuestId, to);
  }

  async mergeInto(guestId: string, imagePath: string, dest: string): Promise<void> {
    const { upper } = this.paths(guestId);
    if (!fs.existsSync(upper)) return copySparse(imagePath, dest);
    const scratch = path.join(path.dirname(upper), `.commit-${process.pid}-${Date.now()}`);
    await mergeLayer({ upper, base: await this.layerBase(guestId), imagePath, dest, scratch });
  }

  private async layerBase(guestId: string): Promise<number> {
    const base = await this.baseOf(guestId);
    if (base === null) throw new Error("The guest's layer has no uid range recorded (its uid-range file is missing).");
    return base;
  }
}
