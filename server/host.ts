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

export function hostCapacity(umlTmpDir: string): HostCapacity {
  const memoryTotalMiB = Math.floor(os.totalmem() / MiB);
  const st = fs.statfsSync(umlTmpDir);
  const ramBackingFreeMiB = Math.floor((st.bavail * st.bsize) / MiB);
  return {
    memoryTotalMiB,
    ramBackingFreeMiB,
    // Leave the host a quarter of its memory; never more than the schema's ceiling.
    guestMemoryMaxMiB: Math.min(MEMORY_MIB_MAX, Math.floor(memoryTotalMiB * 0.75)),
  };
}

export function dataDirFreeMiB(dataDir: string): number {
  const st = fs.statfsSync(dataDir);
  return Math.floor((st.bavail * st.bsize) / MiB);
}
