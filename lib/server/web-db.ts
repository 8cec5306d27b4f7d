import "server-only";
import path from "node:path";
import { openDatabase, type Db } from "./database";
import { dataDirectory } from "./database-url";
import type { BootAnalysisReader } from "./reads/boot-analyses";
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

/**
 * Boot analyses as the web reads them: from the data directory the daemon records logs in
 * (guests/<id>/boots/<n>.cast, server/uml/paths.ts), never stored — the daemon is the only
 * writer; a stale analysis is computed for the page until the daemon stores it again.
 */
export function bootAnalysisReader(): BootAnalysisReader {
  const dir = dataDirectory();
  return {
    db,
    store: false,
    bootLogPath: (guestId, n) => path.join(/*turbopackIgnore: true*/ dir, "guests", guestId, "boots", `${n}.cast`),
  };
}
