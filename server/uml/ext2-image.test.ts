import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildExt2Image, writeExt2Image } from "./ext2-image";
import { writeSeedDisk } from "./seed-disk";

const sbin = (name: string) => (fs.existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : `/sbin/${name}`);
const debugfs = (file: string, cmd: string) =>
  execFileSync(sbin("debugfs"), ["-R", cmd, file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

describe("buildExt2Image", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-ext2-test-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("makes a file system e2fsck finds clean, with each file's text, mode and the label", async () => {
    const keys = "ssh-ed25519 AAAAC3Nza key\n".repeat(300); // several blocks
    const image = buildExt2Image(
      {
        hostname: { text: "g1\n", mode: 0o644 },
        "root-password-hash": { text: "$6$salt$hash\n", mode: 0o600 },
        authorized_keys: { text: keys, mode: 0o644 },
      },
      "CORRALSEED",
    );
    const file = path.join(dir, "seed.img");
    await writeExt2Image(file, image!);
    // A 1 MiB file system whose written blocks are all there is on disk: the rest is a hole.
    const st = fs.statSync(file);
    expect(st.size).toBe(1024 * 1024);
    expect(st.blocks * 512).toBeLessThan(64 * 1024);
    expect(st.mode & 0o777).toBe(0o400);
    const fsck = spawnSync(sbin("e2fsck"), ["-fn", file], { encoding: "utf8" });
    expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
    expect(debugfs(file, "cat /hostname")).toBe("g1\n");
    expect(debugfs(file, "cat /authorized_keys")).toBe(keys);
    expect(debugfs(file, "stat /root-password-hash")).toMatch(/Mode:\s+0600/);
    expect(
      execFileSync(sbin("dumpe2fs"), ["-h", file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
    ).toMatch(/Filesystem volume name:\s+CORRALSEED/);
  });

  it("declines a file over 12 KiB, and the seed is then made by mke2fs", async () => {
    const big = "k".repeat(13 * 1024);
    expect(buildExt2Image({ authorized_keys: { text: big, mode: 0o644 } }, "CORRALSEED")).toBeNull();
    const file = path.join(dir, "seed.img");
    await writeSeedDisk(file, { hostname: "g", network: null, rootPasswordHash: null, authorizedKeys: big });
    expect(debugfs(file, "cat /authorized_keys")).toBe(`${big}\n`);
  });
});
