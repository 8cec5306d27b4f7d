// API tokens: a person's credentials for scripts and the `corral` command line. The daemon
// resolves `Authorization: Bearer corral_…` to the person on every request and socket, so a
// revoked or expired token, or a disabled person's, stops working at the next request.
import { createHash, randomBytes } from "node:crypto";
import type { ApiToken } from "../../generated/prisma/client";
import {
  createTokenSchema,
  MAX_TOKENS_PER_PERSON,
  TOKEN_PREFIX,
  type ApiTokenListView,
  type ApiTokenView,
  type CreatedTokenView,
  type TokenScope,
} from "../../lib/shared/protocol";
import { parseRole } from "../../lib/shared/stored";
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db";
import { conflict, notFound, parseInput } from "../errors";
import type { EventBus } from "../events";
import type { SessionUser } from "./sessions";
import type { RequestMeta } from "./user-service";

// lastUsedAt is written at most this often per token (and at once from a new address); a
// `token.use` audit entry marks a token's first use, each new address, and use after an hour
// unused — requests that change something are audited one by one, with the token's id.
const TOUCH_EVERY_MS = 60_000;
const AUDIT_USE_AFTER_MS = 3600_000;
const MAX_SECRET_LENGTH = 200;

/** A person signed in through a token: the same permission table, narrowed by its scope. */
export type TokenResolution = { ok: true; user: SessionUser; expiresAt: Date | null } | { ok: false; message: string };

/** The token in an `Authorization: Bearer …` header; undefined for any other scheme or none. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1] : undefined;
}

// A token is 32 random bytes: nobody can guess it or try a dictionary, so what makes a slow
// password hash (argon2) worth its ~50 ms per check does not apply, and a sha256 lookup by
// unique index costs one query per request. The database alone never yields a usable token.
const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

const NOT_VALID =
  "This API token is not valid: it was revoked or never issued. Create a new one under Your account → API tokens.";

export class ApiTokens {
  /** When each token was last noted as used, and from where (coalesces parallel requests). */
  private readonly lastUse = new Map<string, { at: number; ip: string | null }>();
  private readonly lastRefusal = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
  ) {}

  async create(actor: SessionUser, body: unknown): Promise<CreatedTokenView> {
    const input = parseInput(createTokenSchema, body);
    if ((await this.db.apiToken.count({ where: { userId: actor.id } })) >= MAX_TOKENS_PER_PERSON)
      throw conflict(`You hold ${MAX_TOKENS_PER_PERSON} API tokens, the most allowed: revoke one you no longer use.`);
    const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const row = await this.db.apiToken.create({
      data: {
        userId: actor.id,
        name: input.name,
        scope: input.scope,
        secretHash: hashSecret(secret),
        expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt),
      },
    });
    return { token: tokenView(row), secret };
  }

  async list(actor: SessionUser): Promise<ApiTokenListView> {
    const rows = await this.db.apiToken.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" } });
    return { tokens: rows.map(tokenView) };
  }

  /** Revokes one of the person's own tokens; another person's answers as one that does not exist. */
  async revoke(actor: SessionUser, id: string): Promise<ApiTokenView> {
    const row = await this.db.apiToken.findFirst({ where: { id, userId: actor.id } });
    if (!row || (await this.db.apiToken.deleteMany({ where: { id, userId: actor.id } })).count === 0)
      throw notFound("No such API token. It may have been revoked already.");
    this.lastUse.delete(id);
    this.bus.emit("token:revoked", { tokenId: id });
    return tokenView(row);
  }

  /** The person a bearer token signs in, or why it does not. */
  async resolve(secret: string, meta: RequestMeta): Promise<TokenResolution> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > MAX_SECRET_LENGTH)
      return { ok: false, message: `This is not a Corral API token (they begin with ${TOKEN_PREFIX}).` };
    const row = await this.db.apiToken.findUnique({
      where: { secretHash: hashSecret(secret) },
      include: { user: true },
    });
    if (!row) return { ok: false, message: NOT_VALID };
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
      this.recordRefusal(row, meta, "expired");
      return {
        ok: false,
        message: `This API token expired at ${row.expiresAt.toISOString()}. Create a new one under Your account → API tokens.`,
      };
    }
    if (row.user.disabled) {
      this.recordRefusal(row, meta, "account disabled");
      return { ok: false, message: "This API token's account is disabled. Ask an admin to enable it." };
    }
    const user: SessionUser = {
      id: row.user.id,
      username: row.user.username,
      role: parseRole(row.user.role),
      scope: parseScope(row.scope),
      tokenId: row.id,
    };
    await this.noteUse(row, user, meta.ip);
    return { ok: true, user, expiresAt: row.expiresAt };
  }

  private async noteUse(row: ApiToken, user: SessionUser, ip: string | null): Promise<void> {
    const now = Date.now();
    const prev =
      this.lastUse.get(row.id) ?? (row.lastUsedAt ? { at: row.lastUsedAt.getTime(), ip: row.lastUsedIp } : null);
    const newAddress = !prev || prev.ip !== ip;
    if (!newAddress && now - prev.at < TOUCH_EVERY_MS) return;
    // Noted before any await: parallel requests with this token write and audit once.
    this.lastUse.set(row.id, { at: now, ip });
    await this.db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(now), lastUsedIp: ip } });
    if (newAddress || now - prev.at >= AUDIT_USE_AFTER_MS)
      await this.audit.record({
        actor: user,
        ip,
        action: "token.use",
        target: row.id,
        outcome: "ok",
        detail: { name: row.name, scope: row.scope },
      });
  }

  /** A known token refused (expired, account disabled): audited, at most once an hour per token. */
  private recordRefusal(row: ApiToken & { user: { id: string; username: string } }, meta: RequestMeta, why: string) {
    const now = Date.now();
    if (now - (this.lastRefusal.get(row.id) ?? 0) < AUDIT_USE_AFTER_MS) return;
    this.lastRefusal.set(row.id, now);
    void this.audit.record({
      actor: { ...row.user, tokenId: row.id },
      ip: meta.ip,
      action: "token.use",
      target: row.id,
      outcome: "denied",
      detail: why,
    });
  }
}

// Anything but "role" narrows: a damaged row must not widen a token.
const parseScope = (s: string): TokenScope => (s === "role" ? "role" : "read");

function tokenView(t: ApiToken): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    scope: parseScope(t.scope),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}
