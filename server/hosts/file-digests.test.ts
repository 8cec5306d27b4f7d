import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { digestFile, digestMismatch } from "./file-digests";

const MiB = 2 ** 20;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-digests-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes with `data` written at each offset, the rest holes or written zeros. */
function file(name: string, size: number, data: Array<[number, Buffer]>, zerosWritten = false): string {
  const p = path.join(dir, name);
  const fd = fs.openSync(p, "w");
  if (zerosWritten)
    for (let at = 0; at < size; at += MiB)
      fs.writeSync(fd, Buffer.alloc(Math.min(MiB, size - at)), 0, Math.min(MiB, size - at), at);
  for (const [at, buf] of data) fs.writeSync(fd, buf, 0, buf.length, at);
  fs.ftruncateSync(fd, size);
  fs.closeSync(fd);
  return p;
}

describe("file digests", () => {
  it("depend on contents alone: holes and written zeros digest alike", async () => {
    const data: Array<[number, Buffer]> = [
      [5, Buffer.from("head")],
      [3 * MiB + 17, Buffer.from("tail")],
    ];
    const sparse = await digestFile(file("sparse", 4 * MiB + 3, data));
    expect(await digestFile(file("dense", 4 * MiB + 3, data, true))).toBe(sparse);
    expect(fs.statSync(path.join(dir, "sparse")).blocks * 512).toBeLessThan(MiB);
    const moved: Array<[number, Buffer]> = [data[0], [3 * MiB + 18, Buffer.from("tail")]];
    expect(await digestFile(file("moved", 4 * MiB + 3, moved))).not.toBe(sparse);
    expect(await digestFile(file("longer", 4 * MiB + 4, data))).not.toBe(sparse);
    expect(await digestFile(file("empty", 0, []))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("name the file that differs, is missing, or was not sent", () => {
    const want = { a: "1", b: "2" };
    expect(digestMismatch(want, { a: "1", b: "2" })).toBeNull();
    expect(digestMismatch(want, { a: "1", b: "3" })).toMatch(/^b arrived with different contents/);
    expect(digestMismatch(want, { a: "1" })).toBe("b did not arrive");
    expect(digestMismatch(want, { a: "1", b: "2", c: "4" })).toBe("c arrived but was not sent");
  });
});
