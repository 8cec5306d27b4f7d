import fs from "node:fs";
import type { AuditEntryView, AuditVerifyView } from "../../lib/shared/protocol";
import type { z } from "zod";
import type { auditQuerySchema } from "../../lib/shared/protocol";
import { dbProvider, type Db } from "../db";
import { logger } from "../log";
import { entryHash, GENESIS, verifyChain, type ChainedFields } from "./audit-chain";

const log = logger("audit");
/** The advisory lock that makes a fleet's daemons append one at a time (any constant of Corral's own). */
const AUDIT_LOCK = 0x636f72;

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
 *
 * On PostgreSQL every daemon of the fleet appends to the one chain: one at a time (an
 * advisory lock held by the append's transaction), each after the newest entry whoever wrote
 * it. Each host's head is then its own last entry, and verify checks it is still in place.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private lastHash: string | null = null;
  private count: number | null = null;
  /** The newest entry this daemon appended, and the head file's writer (one at a time). */
  private head: { hash: string; count: number } | null = null;
  private headWriting: Promise<void> | null = null;
  private headNext: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly headFile: string,
    /** This daemon's host, recorded in each entry (null: a tool that only verifies). */
    private readonly host: string | null = null,
  ) {}

  private get shared(): boolean {
    return dbProvider(this.db) === "postgresql";
  }

  private readHead(): { hash: string; count: number } | null {
    try {
      return JSON.parse(fs.readFileSync(this.headFile, "utf8"));
    } catch {
      return null;
    }
  }

  record(e: AuditEvent): Promise<void> {
    const at = new Date();
    const appended = this.queue.then(async () => {
      const fields: ChainedFields = {
        at,
        actorId: e.actor?.id ?? null,
        actor: e.actor?.username ?? null,
        ip: e.ip,
        action: e.action,
        target: e.target ?? null,
        outcome: e.outcome,
        detail: detailText(e),
        ...(this.host ? { host: this.host } : {}),
      };
      this.head = this.shared ? await this.appendShared(fields) : await this.append(fields);
    });
    this.queue = appended.catch((err) => {
      this.lastHash = null; // re-read on the next append
      this.count = null;
      log.error("could not record an audit entry", { action: e.action, err: String(err) });
    });
    // The caller waits for its entry, not for the head: the head file is written in Node's
    // thread pool, which a storm of booting guests keeps busy (a start's answer waited there
    // 100–400 ms). The next append need not wait for it either: a burst of entries writes
    // the head a few times, not once each, and never from the event loop.
    return appended.then(
      () => void this.persistHead(),
      () => {},
    );
  }

  /**
   * Resolves once a head write that started after this call has landed: the one in flight
   * began too early, so callers arriving meanwhile share the next (two writes at most,
   * however long the burst). Invariant: the head is written only after its entry is in the
   * database, so a crash can leave it behind the chain (verify names the entries past it),
   * never ahead of it.
   */
  private persistHead(): Promise<void> {
    if (!this.headWriting) return (this.headWriting = this.writeHead());
    return (this.headNext ??= this.headWriting.then(() => {
      this.headNext = null;
      return (this.headWriting = this.writeHead());
    }));
  }

  private async writeHead(): Promise<void> {
    const tmp = `${this.headFile}.tmp`;
    try {
      await fs.promises.writeFile(tmp, JSON.stringify(this.head));
      await fs.promises.rename(tmp, this.headFile);
    } catch (err) {
      log.error("could not write the audit head", { file: this.headFile, err: String(err) });
    }
    if (!this.headNext) this.headWriting = null;
  }

  /** One daemon on its own database: the chain's end is where this daemon left it. */
  private async append(fields: ChainedFields): Promise<{ hash: string; count: number }> {
    if (this.lastHash === null || this.count === null) {
      const last = await this.db.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
      this.lastHash = last?.hash ?? GENESIS;
      this.count = await this.db.auditEntry.count();
    }
    const hash = entryHash(this.lastHash, fields);
    await this.db.auditEntry.create({ data: { ...fields, prevHash: this.lastHash, hash } });
    this.lastHash = hash;
    this.count += 1;
    return { hash, count: this.count };
  }

  /** A fleet's one chain: its end read under the lock; counted again only after another host appended. */
  private appendShared(fields: ChainedFields): Promise<{ hash: string; count: number }> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(${AUDIT_LOCK})) AS l`);
      const last = await tx.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
      const prev = last?.hash ?? GENESIS;
      const before = prev === this.lastHash && this.count !== null ? this.count : await tx.auditEntry.count();
      const hash = entryHash(prev, fields);
      await tx.auditEntry.create({ data: { ...fields, prevHash: prev, hash } });
      this.lastHash = hash;
      this.count = before + 1;
      return { hash, count: this.count };
    });
  }

  /** Resolves once every entry recorded so far is written (or failed): before the database closes. */
  async flush(): Promise<void> {
    await this.queue;
    await (this.headNext ?? this.headWriting);
  }

  async query(q: z.infer<typeof auditQuerySchema>): Promise<AuditEntryView[]> {
    // Entries this daemon is still appending (recorded, not yet written) are part of the answer.
    await this.queue;
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
      host: r.host,
    }));
  }

  /** Walks the whole chain in id order, in batches. */
  async verify(): Promise<AuditVerifyView> {
    await this.flush();
    const head = this.readHead();
    let prev = GENESIS;
    let after = 0;
    let entries = 0;
    let headAt: number | null = null;
    /** The first entry past the head's (a head that trails the chain). */
    let afterHead: number | null = null;
    for (;;) {
      const batch = await this.db.auditEntry.findMany({
        where: { id: { gt: after } },
        orderBy: { id: "asc" },
        take: 1000,
      });
      if (batch.length === 0) {
        // Alone, this daemon wrote the newest entry; in a fleet, its own last one is still where it was.
        const intact = !head || (this.shared ? headAt === head.count : head.hash === prev && head.count === entries);
        if (intact) return { ok: true, entries, brokenAt: null, reason: null };
        if (this.shared || headAt !== head.count)
          return { ok: false, entries, brokenAt: after, reason: "the newest entries were changed or removed" };
        return { ok: false, entries: headAt, brokenAt: afterHead!, reason: PAST_HEAD(entries - headAt) };
      }
      const r = verifyChain(batch, prev);
      if (!r.ok)
        return {
          ok: false,
          entries: entries + batch.findIndex((b) => b.id === r.brokenAt),
          brokenAt: r.brokenAt,
          reason: r.reason,
        };
      const mine = head ? batch.findIndex((b) => b.hash === head.hash) : -1;
      if (mine >= 0) headAt = entries + mine + 1;
      if (headAt !== null && afterHead === null && headAt < entries + batch.length)
        afterHead = batch[headAt - entries].id;
      prev = r.last;
      entries += batch.length;
      after = batch[batch.length - 1].id;
    }
  }
}

/**
 * A head that names an entry of the chain, in its place, with entries after it: what a
 * daemon stopped between writing entries and writing their head leaves (the head never leads
 * the chain), and also what entries added to the database since would look like. Which of
 * the two it is the entries themselves must tell; the daemon's next entry moves the head past them.
 */
const PAST_HEAD = (n: number) =>
  `${n} newest ${n === 1 ? "entry is" : "entries are"} past the head kept outside the database: ` +
  "written just before the daemon stopped without writing its head, or added since; check them";

function detailText({ actor, detail }: AuditEvent): string | null {
  const token = actor?.tokenId;
  if (!token) return detail == null ? null : typeof detail === "string" ? detail : JSON.stringify(detail);
  if (detail == null) return JSON.stringify({ token });
  return JSON.stringify(typeof detail === "string" ? { token, reason: detail } : { ...detail, token });
}
