import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { openDatabase } from "./database";

// A COMMIT that fails, made real without a full disk: a deferred foreign key is checked at
// COMMIT. Before the adapter released its lock on a failed COMMIT, the next write hung.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-sqlite-"));
const db = openDatabase(`file:${path.join(dir, "t.db")}`);
afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("keeps writing after a transaction whose COMMIT failed", { timeout: 60_000 }, async () => {
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await db.$executeRawUnsafe("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  await db.$executeRawUnsafe(
    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
  );

  const orphan = db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("INSERT INTO child (id, parent) VALUES (1, 99)");
  });
  await expect(orphan).rejects.toThrow();

  // The deadline only catches the hang (the write waited forever for the leaked lock).
  const written = db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("INSERT INTO parent (id) VALUES (1)");
    await tx.$executeRawUnsafe("INSERT INTO child (id, parent) VALUES (2, 1)");
  });
  await Promise.race([written, new Promise((_, no) => setTimeout(() => no(new Error("write hung")), 30_000))]);
  // The failed transaction's row is gone; the later one's are there.
  expect(await db.$queryRawUnsafe("SELECT id, parent FROM child")).toEqual([{ id: 2, parent: 1 }]);
});
