import fs from "node:fs";
import path from "node:path";
import { insufficient } from "../errors";
import { RANGE_SIZE, type SubordinateRange } from "./host-support";
import { contextPaths } from "./lxc-paths";

/**
 * Each context guest gets its own block of RANGE_SIZE host ids (its root is the first), so
 * guests are apart from each other on the host too: files of their upper layers, signals,
 * per-user process limits. The block's first id is kept in the guest's folder; it never
 * changes while the layer exists (the layer's files are owned by it).
 */
export class UidRanges {
  // Allocations run one at a time: two guests starting together must not pick one block.
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly range: SubordinateRange,
  ) {}

  /** The guest's first host id, allocating the lowest free block on its first start. */
  baseFor(guestId: string): Promise<number> {
    const next = this.turn.then(() => this.allocate(guestId));
    this.turn = next.catch(() => {});
    return next;
  }

  private async allocate(guestId: string): Promise<number> {
    const own = await readBase(contextPaths(this.dataDir, guestId).rangeFile);
    if (own !== null) return own;
    const taken = new Set<number>();
    const guestsDir = path.join(this.dataDir, "guests");
    for (const id of await fs.promises.readdir(guestsDir).catch(() => [] as string[])) {
      const base = await readBase(contextPaths(this.dataDir, id).rangeFile);
      if (base !== null) taken.add(base);
    }
    const slots = Math.floor(this.range.count / RANGE_SIZE);
    for (let slot = 0; slot < slots; slot++) {
      const base = this.range.start + slot * RANGE_SIZE;
      if (taken.has(base)) continue;
      const file = contextPaths(this.dataDir, guestId).rangeFile;
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(file, `${base}\n`);
      return base;
    }
    throw insufficient(
      `All ${slots} id ranges root has in /etc/subuid are in use by context guests. Delete a context guest or give root a larger range.`,
    );
  }
}

async function readBase(file: string): Promise<number | null> {
  try {
    const n = Number((await fs.promises.readFile(file, "utf8")).trim());
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
