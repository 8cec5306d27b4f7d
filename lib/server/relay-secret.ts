import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { dataDirectory } from "./database-url";
import { RELAY_SECRET_FILE } from "../shared/protocol/relay";

let cached: { version: string; secret: string } | null = null;

/**
 * The secret the host daemon wrote at its start (lib/shared/protocol/relay.ts), or null while no
 * daemon has written one. Read again whenever the file changes: the daemon may start after
 * the web server, or restart with a new secret while it runs.
 */
export async function relaySecret(): Promise<string | null> {
  const file = path.join(/*turbopackIgnore: true*/ dataDirectory(), RELAY_SECRET_FILE);
  try {
    const st = await fs.stat(file);
    const version = `${st.ino}:${st.mtimeMs}:${st.size}`;
    if (cached?.version !== version) cached = { version, secret: (await fs.readFile(file, "utf8")).trim() };
    return cached.secret;
  } catch {
    return null;
  }
}
