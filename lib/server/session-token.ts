// Sessions: the browser holds a random token in an httpOnly cookie; the database holds only
// its sha256, so a leaked database does not sign anyone in. Used by the daemon and the web.
import { createHash, randomBytes } from "node:crypto";

export const SESSION_COOKIE = "corral_session";

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sessionIdFor(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
