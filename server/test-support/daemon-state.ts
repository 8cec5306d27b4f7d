// What a daemon holds, to compare before and after something that must change nothing: the
// number of rows in every table, and every file (with its size) under the data and run
// directories.
import fs from "node:fs/promises";
import path from "node:path";
import { dbProvider, openDatabase } from "../../lib/server/database";

export interface DaemonState {
  rows: Record<string, number>;
  files: Record<string, number | "changes">;
}

// Files that change without any request changing something: the database itself (rows are
// compared instead), the audit trail's head (it records refused requests, by design) and
// the console keeper's own log.
const SIZE_VARIES = /(^|\/)(corral\.db(-wal|-shm|-journal)?|audit-head\.json|keeper\.log)$/;

async function listFiles(root: string, into: DaemonState["files"], prefix: string): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(root, e.name);
    const rel = `${prefix}/${e.name}`;
    if (e.isDirectory()) await listFiles(full, into, rel);
    else into[rel] = SIZE_VARIES.test(rel) ? "changes" : (await fs.lstat(full)).size;
  }
}

/** `except` names tables whose rows a refused request adds by design (the audit trail). */
export async function daemonState(
  dirs: { dataDir: string; runDir: string; databaseUrl: string },
  except: string[] = [],
): Promise<DaemonState> {
  const db = openDatabase(dirs.databaseUrl);
  const rows: Record<string, number> = {};
  try {
    const tables = await db.$queryRawUnsafe<Array<{ name: string }>>(
      dbProvider(db) === "sqlite"
        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    for (const { name } of tables) {
      if (except.includes(name)) continue;
      // Names come from the database's own catalogue, never from input.
      const [{ n }] = await db.$queryRawUnsafe<Array<{ n: number | bigint }>>(`SELECT count(*) AS n FROM "${name}"`);
      rows[name] = Number(n);
    }
  } finally {
    await db.$disconnect();
  }
  const files: DaemonState["files"] = {};
  await listFiles(dirs.dataDir, files, "data");
  await listFiles(dirs.runDir, files, "run");
  return { rows, files };
}

/** What differs between two states, one line each (empty when nothing does). */
export function stateChanges(before: DaemonState, after: DaemonState): string[] {
  const changes: string[] = [];
  for (const kind of ["rows", "files"] as const) {
    const keys = new Set([...Object.keys(before[kind]), ...Object.keys(after[kind])]);
    for (const k of keys)
      if (before[kind][k] !== after[kind][k]) changes.push(`${kind} ${k}: ${before[kind][k]} → ${after[kind][k]}`);
  }
  return changes;
}
