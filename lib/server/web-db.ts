import "server-only";
import { openDatabase, type Db } from "./database";
import { webEnv } from "./env";
import type { GuestReader } from "./reads/guests";

// The web's read-only view of the database. One client per server process: Next may
// evaluate this module more than once in development, so it is kept on globalThis.
const g = globalThis as unknown as { corralDb?: Db };

export const db: Db = g.corralDb ?? openDatabase(webEnv().databaseUrl);
g.corralDb = db;

/** Guest reads as the web makes them: this database, this host's network settings. */
export function guestReader(): GuestReader {
  return { db, network: webEnv().network };
}
