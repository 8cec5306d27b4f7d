// Who a session row signs in, decided without a clock read or a database: the web's
// current-user lookup and its tests share it.
import { parseRole } from "./stored";
import { ROLES, type Role } from "./permissions";

export interface SignedInUser {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
}

export interface SessionRow {
  expiresAt: Date;
  user: { id: string; username: string; displayName: string | null; role: string; disabled: boolean };
}

/**
 * The user a session signs in at `now`, or null: no session, expired, a disabled account, or
 * a role this build does not know (never guessed into one it does).
 */
export function signedInUser(session: SessionRow | null, now: Date): SignedInUser | null {
  if (!session || session.expiresAt.getTime() <= now.getTime()) return null;
  const { id, username, displayName, role, disabled } = session.user;
  if (disabled || !(ROLES as readonly string[]).includes(role)) return null;
  return { id, username, displayName, role: parseRole(role) };
}

/** The name to show: the display name where one is set. */
export function nameOf(user: { username: string; displayName: string | null }): string {
  return user.displayName ?? user.username;
}

/**
 * Where to go after signing in: a path on this site, never another site ("//evil", "/\evil",
 * "https:…") and never the sign-in page itself.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f]/.test(raw)) return "/";
  if (raw === "/login" || raw.startsWith("/login?") || raw.startsWith("/login/")) return "/";
  return raw;
}

/** Request header proxy.ts sets on page requests: the path and query a page was asked for. */
export const PATH_HEADER = "x-corral-path";

/** The sign-in page, coming back to `next` afterwards. */
export function loginPath(next: string): string {
  const path = safeNextPath(next);
  return path === "/" ? "/login" : `/login?next=${encodeURIComponent(path)}`;
}
