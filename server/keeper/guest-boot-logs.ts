import path from "node:path";
import { BootLog } from "../boots/boot-log";
import { pruneBootLogs } from "../boots/log-pruning";
import { logger } from "../log";
import type { LifecycleEvent, SpawnRequest } from "./protocol";

const log = logger("keeper");

/**
 * Opens boot `boot`'s log in the guest's boots directory, first pruning the oldest logs so
 * that the guest's stay within their bound even with this one full. The records learn of
 * both through `emit`: the logs pruned at once, a failure or truncation when it happens.
 */
export function openBootLog(
  spec: SpawnRequest,
  boot: number,
  startedAt: number,
  size: { cols: number; rows: number },
  emit: (event: LifecycleEvent) => void,
): BootLog {
  let pruned: number[] = [];
  try {
    pruned = pruneBootLogs(spec.bootsDir, boot, spec.logLimits);
  } catch (err) {
    log.warn("could not prune old boot logs", { guest: spec.guestName, err: String(err) });
  }
  const bootLog = new BootLog(path.join(spec.bootsDir, `${boot}.cast`), {
    size,
    title: `${spec.guestName} — boot ${boot}`,
    startedAt,
    maxBytes: spec.logLimits.bootMaxBytes,
    onFailure: (message) => emit({ kind: "log-failed", boot, at: Date.now(), message }),
    onTruncated: (logBytes) => emit({ kind: "log-truncated", boot, at: Date.now(), logBytes }),
  });
  if (pruned.length) emit({ kind: "logs-pruned", boot, at: Date.now(), pruned });
  return bootLog;
}
