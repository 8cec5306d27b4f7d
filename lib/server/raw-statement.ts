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

/**
 * The guests, each joined to its samples `s`, ending in `WHERE`: a statement's conditions
 * follow with AND. A range's per-guest aggregates are then read guest by guest through the
 * (guestId, period, at, …) index, which carries the columns they sum, already grouped; read
 * by (hostId, period, at), every row was sorted by guest first (an hour's minutes at 500
 * guests: ~7 ms, not ~5). Hazard: SQLite keeps a CROSS JOIN's order (the guests outside) and
 * without it chose the host's index; PostgreSQL plans it as a plain join and takes no ON
 * after CROSS JOIN. Every sample has its guest (deleted with it), so none is left out.
 */
export const BY_GUEST = `FROM "Guest" g CROSS JOIN "GuestSample" s WHERE s."guestId" = g."id"`;
