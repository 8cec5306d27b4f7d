import { parseRole } from "../../lib/shared/stored";
import { newSessionToken, sessionIdFor } from "../../lib/server/session-token";
import type { Role } from "../../lib/shared/permissions";
import type { Db } from "../db";

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  /** Signed in through an API token (server/auth/api-tokens.ts): its scope and id. */
  scope?: "role" | "read";
  tokenId?: string;
}

// A session idle this long ends even before its expiry; lastSeenAt is written at most this often.
const IDLE_MS = 2 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Always a fresh token at sign-in — a token the browser already had is never promoted to a
 * session (session fixation) — and only its hash is stored.
 */
export async function createSession(
  db: Db,
  userId: string,
  lifetimeMs: number,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + lifetimeMs);
  await db.session.create({
    data: { id: sessionIdFor(token), userId, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 200) ?? null },
  });
  return { token, expiresAt };
}

/** The signed-in user for a cookie token, or null (unknown, expired, idle, disabled). */
export async function resolveSession(db: Db, token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const id = sessionIdFor(token);
  const s = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!s) return null;
  const now = Date.now();
  if (s.expiresAt.getTime() <= now || now - s.lastSeenAt.getTime() > IDLE_MS || s.user.disabled) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.update({ where: { id }, data: { lastSeenAt: new Date(now) } });
  }
  return { id: s.user.id, username: s.user.username, role: parseRole(s.user.role) };
}

export async function endSession(db: Db, token: string | undefined): Promise<void> {
  if (token) await db.session.deleteMany({ where: { id: sessionIdFor(token) } });
}
