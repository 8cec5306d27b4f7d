import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { Database } from "better-sqlite3";
import { cacheStatements } from "./statement-cache";

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
/** Prisma's distinct queries for the daemon's models number well under this; IN lists vary. */
const STATEMENTS_KEPT = 200;

/**
 * The better-sqlite3 driver adapter, with transactions that survive a failed COMMIT.
 *
 * Hazard (Prisma 6.19, and 7.10 still): a transaction ends by running COMMIT and only then releasing the
 * adapter's transaction lock. When COMMIT itself fails — SQLITE_FULL when the data
 * directory fills, a deferred constraint — the lock is never released and the connection
 * stays inside the transaction, so every later write waits forever (a full disk once left
 * guests stuck in "stopping" after the space was freed). Here a failed COMMIT rolls back
 * and releases the lock; the caller still gets COMMIT's error. Its connection also keeps
 * its prepared statements (see cacheStatements).
 */
export function sqliteAdapter(url: string): PrismaBetterSqlite3 {
  const factory = new PrismaBetterSqlite3({ url });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // The adapter's connection (a plain field of its queryable; transactions share it).
    cacheStatements((adapter as unknown as { client: Database }).client, STATEMENTS_KEPT);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releasedOnFailedCommit(await start(isolationLevel));
    return adapter;
  };
  return factory;
}

function releasedOnFailedCommit(tx: Transaction): Transaction {
  const execute = tx.executeRaw.bind(tx);
  tx.executeRaw = async (query) => {
    try {
      return await execute(query);
    } catch (err) {
      if (/^\s*COMMIT\b/i.test(query.sql)) {
        // SQLite may already have rolled back (then ROLLBACK fails, harmlessly).
        await execute({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => {});
        await tx.rollback(); // releases the lock
      }
      throw err;
    }
  };
  return tx;
}
