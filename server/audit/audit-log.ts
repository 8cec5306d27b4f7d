import fs from "node:fs";
import type { AuditEntryView, AuditVerifyView } from "../../lib/shared/protocol";
import type { z } from "zod";
import type { auditQuerySchema } from "../../lib/shared/protocol";
import type { Db } from "../db";
import { logger } from "../log";
import { entryHash, GENESIS, verifyChain } from "./audit-chain";

const log = logger("audit");

export interface AuditEvent {
  /** A person acting through an API token is recorded with the token's id in `detail`. */
  actor: { id: string; username: string; tokenId?: string } | null;
  ip: string | null;
  action: string;
  target?: string | null;
  outcome: "ok" | "denied" | "failed";
  /** Extra facts (never secrets): serialised as JSON. */
  detail?: Record<string, unknown> | string | null;
}

/**
 * The audit trail. Appends run one at a time (each needs the previous hash); the daemon is
 * the only writer. An append that fails is logged, never thrown at the request it records.
 *
 * The chain shows any edit or removal except to its newest entries (they have no successor),
 * so the head — the last hash and the count — is also written outside the database
 * (`audit-head.json` in the data directory) and verify compares against it.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private lastHash: string | null = null;
  private count: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly headFile: string,
  ) {}

  private readHead(): { hash: string; count: number } | null {
    try {
      return JSON.parse(fs.readFileSync(this.headFile, "utf8"));
    } catch {
      return null;
    }
  }

  record(e: AuditEvent): Promise<void> {
    const at = new Date();
    const next = this.queue.then(async () => {
      if (this.lastHash === null || this.count === null) {
        const last = await this.db.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
        this.lastHash = last?.hash ?? GENESIS;
        this.count = await this.db.auditEntry.count();
      }
      const fields = {
        at,
        actorId: e.actor?.id ?? null,
        actor: e.actor?.username ?? null,
        ip: e.ip,
        action: e.action,
        target: e.target ?? null,
        outcome: e.outcome,
        detail: detailText(e),
      };
      const hash = entryHash(this.lastHash, fields);
      await this.db.auditEntry.create({ data: { ...fields, prevHash: this.lastHash, hash } });
      this.lastHash = hash;
      this.count += 1;
      const tmp = `${this.headFile}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ hash, count: this.count }));
      fs.renameSync(tmp, this.headFile);
    });
    this.queue = next.catch((err) => {
      this.lastHash = null; // re-read on the next append
      this.count = null;
      log.error("could not record an audit entry", { action: e.action, err: String(err) });
    });
    return this.queue as Promise<void>;
  }

  async query(q: z.infer<typeof auditQuerySchema>): Promise<AuditEntryView[]> {
    const rows = await this.db.auditEntry.findMany({
      where: {
        actor: q.actor || undefined,
        action: q.action ? { startsWith: q.action } : undefined,
        outcome: q.outcome,
        at: { gte: q.since ? new Date(q.since) : undefined, lte: q.until ? new Date(q.until) : undefined },
      },
      orderBy: { id: "desc" },
      take: q.limit,
    });
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      ip: r.ip,
      action: r.action,
      target: r.target,
      outcome: r.outcome as AuditEntryView["outcome"],
      detail: r.detail,
    }));
  }

  /** Walks the whole chain in id order, in batches. */
  async verify(): Promise<AuditVerifyView> {
    await this.queue;
    let prev = GENESIS;
    let after = 0;
    let entries = 0;
    for (;;) {
      const batch = await this.db.auditEntry.findMany({
        where: { id: { gt: after } },
        orderBy: { id: "asc" },
        take: 1000,
      });
      if (batch.length === 0) {
        const head = this.readHead();
        if (head && (head.hash !== prev || head.count !== entries)) {
          return { ok: false, entries, brokenAt: after, reason: "the newest entries were changed or removed" };
        }
        return { ok: true, entries, brokenAt: null, reason: null };
      }
      const r = verifyChain(batch, prev);
      if (!r.ok)
        return {
          ok: false,
          entries: entries + batch.findIndex((b) => b.id === r.brokenAt),
          brokenAt: r.brokenAt,
          reason: r.reason,
        };
      prev = r.last;
      entries += batch.length;
      after = batch[batch.length - 1].id;
    }
  }
}

function detailText({ actor, detail }: AuditEvent): string | null {
  const token = actor?.tokenId;
  if (!token) return detail == null ? null : typeof detail === "string" ? detail : JSON.stringify(detail);
  if (detail == null) return JSON.stringify({ token });
  return JSON.stringify(typeof detail === "string" ? { token, reason: detail } : { ...detail, token });
}
