import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { RELAY_HEADER, RELAY_SECRET_FILE } from "../../lib/shared/protocol/relay";

export { RELAY_HEADER };

/**
 * A fresh secret for this run of the daemon, written where the web server reads it: mode
 * 0600, and renamed into place so a reader never sees half of it. Never logged or audited.
 */
export async function writeRelaySecret(dataDir: string): Promise<string> {
  const secret = randomBytes(32).toString("base64url");
  const file = path.join(dataDir, RELAY_SECRET_FILE);
  const partial = `${file}.${process.pid}.partial`;
  await fs.writeFile(partial, `${secret}\n`, { mode: 0o600 });
  await fs.chmod(partial, 0o600);
  await fs.rename(partial, file);
  return secret;
}

/** Whether the relay header carries the secret; in constant time (both sides hashed to one length). */
export function relaySecretMatches(given: string | undefined, secret: string): boolean {
  if (!given || !secret) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(secret).digest();
  return timingSafeEqual(a, b);
}
