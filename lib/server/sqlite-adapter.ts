import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { Database } from "better-sqlite3";
import { cacheStatements } from "./statement-cache";

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
/** Prisma's distinct queries for the daemon's models number well under this; IN lists vary. */
const STATEMENTS_KEPT = 200;

/**
 * The better-sqlite3 driver adapter, with transactions that survive a failed COMMIT.
 *
 * Hazard (Prisma 6.19): a transaction ends by running COMMIT and only then releasing the
 * adapter's transaction lock. When COMMIT itself fails — SQLITE_FULL when the data
 * directory fills, a deferred constraint — the lock is never released and the connection
 * stays inside the transaction, so every later write waits forever (a full disk once left
 * guests stuck in "stopping" after the space was freed). Here a failed COMMIT rolls back
 * and releases the lock; the caller still gets COMMIT's error. Its connection also keeps
 * its prepared statements (see cacheStatements), and its queries give the event loop a turn
 * (see turnsBetweenQueries).
 */
export function sqliteAdapter(url: string): PrismaBetterSQLite3 {
  const factory = new PrismaBetterSQLite3({ url });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // The adapter's connection (a plain field of its queryable; transactions share it).
    cacheStatements((adapter as unknown as { client: Database }).client, STATEMENTS_KEPT);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releasedOnFailedCommit(await start(isolationLevel));
    turnsBetweenQueries(adapter);
    return adapter;
  };
  return factory;
}

/**
 * better-sqlite3 answers synchronously, so Prisma's awaits on it never wait: a chain of
 * queries — and every other chain they interleave with — ran as microtasks, with no turn for
 * I/O until all were done (blocks of 30–500 ms in a boot storm, which a request arriving then
 * waited out). Here each query outside a transaction first lets the event loop take a turn,
 * so the longest block is about one query of each busy chain.
 *
 * Hazard: the transactions share the one connection, and a query run while one is open runs
 * inside it (as it could before: nothing but the transactions' own lock orders them). While
 * one is open, queries do not yield, so that window is no wider than it was.
 */
function turnsBetweenQueries(adapter: Adapter): void {
  let open = 0;
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const tx = await start(isolationLevel);
    open++;
    let ended = false;
    const end = () => {
      if (!ended) open--;
      ended = true;
    };
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => (end(), commit());
    tx.rollback = () => (end(), rollback());
    return tx;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    if (open === 0) await yieldToLoop();
    return queryRaw(query);
  };
  adapter.executeRaw = async (query) => {
    if (open === 0) await yieldToLoop();
    return executeRaw(query);
  };
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
