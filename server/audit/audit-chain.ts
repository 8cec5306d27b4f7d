import { createHash } from "node:crypto";

export const GENESIS = "0".repeat(64);

export interface ChainedFields {
  at: Date;
  actorId: string | null;
  actor: string | null;
  ip: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
  /** The recording host (hashed only when set, so entries from before hosts verify as they were). */
  host?: string | null;
}

/** sha256 over the previous hash and every field: change any field of any entry, or drop one, and it shows. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const fields = [e.at.toISOString(), e.actorId, e.actor, e.ip, e.action, e.target, e.outcome, e.detail];
  if (e.host) fields.push(e.host);
  const body = JSON.stringify(fields);
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

/** Checks a run of entries in id order, continuing from `prevHash`. */
export function verifyChain(
  entries: Array<ChainedFields & { id: number; prevHash: string; hash: string }>,
  prevHash = GENESIS,
): { ok: true; last: string } | { ok: false; brokenAt: number; reason: string } {
  for (const e of entries) {
    if (e.prevHash !== prevHash)
      return { ok: false, brokenAt: e.id, reason: "an entry before it was removed or changed" };
    if (entryHash(prevHash, e) !== e.hash) return { ok: false, brokenAt: e.id, reason: "its contents were changed" };
    prevHash = e.hash;
  }
  return { ok: true, last: prevHash };
}
