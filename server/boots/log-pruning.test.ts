import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pruneBootLogs } from "./log-pruning";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A boots folder with logs of the given sizes (boot number → bytes). */
function bootsDir(sizes: Record<number, number>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "boots-"));
  dirs.push(dir);
  for (const [boot, bytes] of Object.entries(sizes))
    fs.writeFileSync(path.join(dir, `${boot}.cast`), Buffer.alloc(bytes));
  return dir;
}
const left = (dir: string) => fs.readdirSync(dir).sort((a, b) => parseInt(a) - parseInt(b));

describe("pruning a guest's boot logs", () => {
  it("removes the oldest logs first until the rest and a whole new boot fit", () => {
    const dir = bootsDir({ 1: 300, 2: 300, 3: 300, 10: 300 });
    expect(pruneBootLogs(dir, 11, { bootMaxBytes: 400, guestMaxBytes: 1000 })).toEqual([1, 2]);
    expect(left(dir)).toEqual(["3.cast", "10.cast"]);
  });

  it("removes nothing while everything fits, and never the current boot's or later ones", () => {
    const dir = bootsDir({ 1: 100, 2: 100, 5: 5000, 6: 5000 });
    expect(pruneBootLogs(dir, 3, { bootMaxBytes: 400, guestMaxBytes: 600 })).toEqual([]);
    expect(left(dir)).toEqual(["1.cast", "2.cast", "5.cast", "6.cast"]);
  });

  it("ignores files that are not boot logs", () => {
    const dir = bootsDir({ 1: 900 });
    fs.writeFileSync(path.join(dir, "notes.txt"), Buffer.alloc(5000));
    expect(pruneBootLogs(dir, 2, { bootMaxBytes: 200, guestMaxBytes: 1000 })).toEqual([1]);
    expect(left(dir)).toEqual(["notes.txt"]);
  });
});
