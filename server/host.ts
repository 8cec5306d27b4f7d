import fs from "node:fs";
import os from "node:os";
import { MEMORY_MIB_MAX } from "../lib/shared/protocol";

const MiB = 1024 * 1024;

export interface HostCapacity {
  memoryTotalMiB: number;
  /** Free space where UML backs guest RAM: a guest needs its whole `mem=` there. */
  ramBackingFreeMiB: number;
  guestMemoryMaxMiB: number;
}

// statfs is asynchronous: on a network filesystem that stopped answering it would hang.
export async function hostCapacity(umlTmpDir: string): Promise<HostCapacity> {
  const memoryTotalMiB = Math.floor(os.totalmem() / MiB);
  const st = await fs.promises.statfs(umlTmpDir);
  const ramBackingFreeMiB = Math.floor((st.bavail * st.bsize) / MiB);
  return {
    memoryTotalMiB,
    ramBackingFreeMiB,
    // Leave the host a quarter of its memory; never more than the schema's ceiling.
    guestMemoryMaxMiB: Math.min(MEMORY_MIB_MAX, Math.floor(memoryTotalMiB * 0.75)),
  };
}

export async function dataDirFreeMiB(dataDir: string): Promise<number> {
  const st = await fs.promises.statfs(dataDir);
  return Math.floor((st.bavail * st.bsize) / MiB);
}
