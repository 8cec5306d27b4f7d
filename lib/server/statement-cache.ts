import type { Database, Statement } from "better-sqlite3";

/** The part of a statement the Prisma adapter uses: `prepare(sql).bind(args)`, then run it. */
interface BoundStatement {
  readonly reader: boolean;
  run(): ReturnType<Statement["run"]>;
  get(): unknown;
  all(): unknown[];
  columns(): ReturnType<Statement["columns"]>;
  raw(on?: boolean): BoundStatement;
}

/**
 * Keeps the connection's last `size` prepared statements by SQL text, so a query Prisma sends
 * again (every guest read and write does) is not compiled again: the adapter prepares one
 * per query, which cost 1.8 s of the daemon's CPU in a 30-guest boot storm.
 *
 * Hazards of reusing a statement, and why each is safe here: better-sqlite3 runs a statement
 * to completion synchronously, so two uses never overlap (nothing here iterates). Its
 * `bind()` binds for good and may be called once per statement, so the adapter's
 * `prepare(sql).bind(args)` gets a view that passes `args` to each run instead. Its `raw()`
 * toggle stays on the statement, so every run sets raw mode explicitly (off unless this use
 * asked for it); pluck and expand are never turned on.
 */
export function cacheStatements(db: Database, size: number): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  const cached = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql); // to the newest end: the Map's order is the LRU order
    } else {
      stmt = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  };
  const view = (stmt: Statement, args: unknown[], raw: boolean): BoundStatement => ({
    reader: stmt.reader,
    run: () => stmt.run(...args),
    get: () => (stmt.reader ? stmt.raw(raw).get(...args) : stmt.get(...args)),
    all: () => (stmt.reader ? stmt.raw(raw).all(...args) : stmt.all(...args)),
    columns: () => stmt.columns(),
    raw: (on = true) => view(stmt, args, on),
  });
  db.prepare = ((sql: string) => {
    const stmt = cached(sql);
    const unbound = view(stmt, [], false);
    return { ...unbound, bind: (...args: unknown[]) => view(stmt, args, false) };
  }) as unknown as Database["prepare"];
}
