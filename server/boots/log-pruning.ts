import fs from "node:fs";
import path from "node:path";

export interface LogLimits {
  bootMaxBytes: number;
  guestMaxBytes: number;
}

/**
 * Keeps one guest's boot logs within `guestMaxBytes`. Called as boot `current` begins
 * (its log may grow to `bootMaxBytes`): the oldest boots' logs are removed until the rest
 * and a whole new boot's fit, so the guest's logs never exceed the bound, whatever it
 * prints and however often it reboots. Returns the boots whose logs were removed, oldest
 * first; their records stay (the daemon marks their logs as pruned).
 */
export function pruneBootLogs(bootsDir: string, current: number, limits: LogLimits): number[] {
  const logs = fs
    .readdirSync(bootsDir)
    .flatMap((f) => {
      const boot = Number(/^(\d+)\.cast$/.exec(f)?.[1]);
      if (!(boot < current)) return [];
      return [{ boot, file: path.join(bootsDir, f), bytes: fs.statSync(path.join(bootsDir, f)).size }];
    })
    .sort((a, b) => a.boot - b.boot);
  let total = logs.reduce((sum, l) => sum + l.bytes, 0);
  const pruned: number[] = [];
  for (const log of logs) {
    if (total + limits.bootMaxBytes <= limits.guestMaxBytes) break;
    fs.rmSync(log.file, { force: true });
    total -= log.bytes;
    pruned.push(log.boot);
  }
  return pruned;
}
