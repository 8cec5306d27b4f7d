import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { cacheStatements } from "./statement-cache";

let db: Database.Database;
let prepared: string[];
beforeEach(() => {
  db = new Database(":memory:");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  prepared = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof db.prepare;
  cacheStatements(db, 2);
});
afterEach(() => db.close());

// The adapter's own way of running a query: prepare(sql).bind(args), then run or read it raw.
const insert = (id: number, name: string) =>
  db.prepare("INSERT INTO t (id, name) VALUES (?, ?)").bind([id, name]).run();

it("prepares a query once and runs it again with each use's own arguments", () => {
  insert(1, "a");
  insert(2, "b");
  const read = (id: number) => db.prepare("SELECT id, name FROM t WHERE id = ?").bind([id]);
  expect(read(2).raw().all()).toEqual([[2, "b"]]);
  expect(read(1).raw().all()).toEqual([[1, "a"]]);
  expect(prepared.filter((s) => s.startsWith("INSERT"))).toHaveLength(1);
  expect(prepared.filter((s) => s.startsWith("SELECT"))).toHaveLength(1);
});

it("does not carry one use's raw mode into the next", () => {
  insert(1, "a");
  const sql = "SELECT id, name FROM t";
  expect(db.prepare(sql).bind([]).raw().all()).toEqual([[1, "a"]]);
  expect(db.prepare(sql).bind([]).all()).toEqual([{ id: 1, name: "a" }]);
  expect(db.prepare(sql).all()).toEqual([{ id: 1, name: "a" }]);
});

it("keeps only the newest statements, and a failed run leaves the statement usable", () => {
  insert(1, "a");
  expect(() => insert(1, "again")).toThrow(/UNIQUE/);
  insert(2, "b");
  db.prepare("SELECT 1").bind([]).raw().all();
  db.prepare("SELECT 2").bind([]).raw().all(); // the INSERT is now the oldest of three: dropped
  insert(3, "c");
  expect(prepared.filter((s) => s.startsWith("INSERT"))).toHaveLength(2);
  expect(db.prepare("SELECT count(*) FROM t").bind([]).raw().all()).toEqual([[3]]);
});
