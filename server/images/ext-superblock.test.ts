import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkExtFilesystem, parseExtSuperblock } from "./ext-superblock";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-sb-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function mkfs(kind: string, size: string, extra: string[] = []): string {
  const file = path.join(dir, `${kind}-${size}.img`);
  execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", kind, ...extra, file, size]);
  return file;
}

async function check(file: string, size = fs.statSync(file).size) {
  const handle = await fs.promises.open(file, "r");
  try {
    return await checkExtFilesystem(handle, size);
  } finally {
    await handle.close();
  }
}

describe("the ext2/3/4 superblock", () => {
  it.each([
    ["ext2", "2M"],
    ["ext3", "8M"],
    ["ext4", "8M"],
  ])("reads %s: kind, size and label", (kind, size) => {
    const file = mkfs(kind, size, ["-L", `lbl-${kind}`]);
    const sb = parseExtSuperblock(fs.readFileSync(file).subarray(0, 2048))!;
    expect(sb).toMatchObject({ kind, label: `lbl-${kind}` });
    expect(sb.bytes).toBe(fs.statSync(file).size);
  });

  it("reads a 64-bit ext4 with 4 KiB blocks", () => {
    const file = mkfs("ext4", "64M", ["-b", "4096", "-O", "64bit"]);
    expect(parseExtSuperblock(fs.readFileSync(file).subarray(0, 2048))).toMatchObject({
      kind: "ext4",
      blockSize: 4096,
      blockCount: 16384,
    });
  });

  it("accepts a whole filesystem, and one followed by spare bytes", async () => {
    const file = mkfs("ext4", "4M");
    expect((await check(file)).ok).toBe(true);
    fs.appendFileSync(file, Buffer.alloc(4096));
    expect((await check(file)).ok).toBe(true);
  });

  it("refuses what is not a filesystem, too short to hold a superblock, or cut off", async () => {
    const junk = path.join(dir, "junk");
    fs.writeFileSync(junk, Buffer.alloc(8192, 7));
    expect(await check(junk)).toMatchObject({ ok: false, reason: expect.stringMatching(/0xEF53 at byte 1080/) });
    const tiny = path.join(dir, "tiny");
    fs.writeFileSync(tiny, Buffer.alloc(100));
    expect((await check(tiny)).ok).toBe(false);
    const file = mkfs("ext4", "4M");
    expect(await check(file, 3 * 1024 * 1024)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/truncated: its ext4 superblock says 4194304 bytes/),
    });
  });
});
