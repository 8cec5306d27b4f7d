// Raw statements in both databases' dialects, for the few reads Prisma's model queries make
// slow (each relation or group a query of its own, every row mapped in JavaScript).
import { dbProvider, sqliteTime, type Db } from "./database";

/**
 * A raw statement's arguments, collected as its placeholders are written: SQLite takes `?`
 * and compares times as the text Prisma wrote; PostgreSQL takes `$n`, cast to the column's
 * type. Hazard: the placeholders must be written in the order they appear in the SQL (a
 * template literal's order), since SQLite's `?` are positional.
 */
export function rawArgs(db: Db) {
  const sqlite = dbProvider(db) === "sqlite";
  const args: unknown[] = [];
  const add = (value: unknown, type: string) => {
    args.push(value);
    return sqlite ? "?" : `$${args.length}::${type}`;
  };
  return {
    args,
    text: (value: string) => add(value, "text"),
    int: (value: number) => add(value, "integer"),
    time: (at: Date) => add(sqlite ? sqliteTime(at) : at.toISOString(), "timestamp(3)"),
    /** `column` is host `hostId`, or (null) no host's: samples taken before the host registered. */
    host: (hostId: string | null, column = `"hostId"`) =>
      hostId === null ? `${column} IS NULL` : `${column} = ${add(hostId, "text")}`,
  };
}

/** A number as either driver returns an aggregate: a number, a bigint (a SQLite count), a string or Decimal (PostgreSQL). */
export const rawNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
