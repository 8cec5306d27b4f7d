import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { RawKernel } from "../test-support/raw-kernel";
import { buildSeedDisk, TEST_ROOT_PASSWORD_HASH } from "../test-support/seed-disk";
import { writeSeedDisk, type SeedSpec } from "../uml/seed-disk";
import { buildDefaultImage } from "./default-image";

// How the built-in image's init reads a seed disk (real UML, no daemon): from the header in
// the disk's first bytes, mounting the ext2 file system only when it must. A seed whose file
// system cannot be mounted shows what came from the header alone.
describe("the built-in image's init and the seed disk's header (real UML)", () => {
  let dir: string;
  let image: string;
  const kernels: RawKernel[] = [];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-seed-boot-"));
    image = path.join(dir, "busybox.img");
    await buildDefaultImage(image);
  });
  afterEach(async () => {
    for (const k of kernels.splice(0)) await k.kill();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const spec: SeedSpec = { hostname: "from-header", network: null, rootPasswordHash: null, authorizedKeys: null };
  /** A seed from writeSeedDisk whose ext2 superblock magic is wiped: `mount` fails on it. */
  const unmountableSeed = async (file: string, s: SeedSpec) => {
    await writeSeedDisk(file, s);
    fs.chmodSync(file, 0o600);
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.alloc(2), 0, 2, 1024 + 56); // s_magic, 0xEF53
    fs.closeSync(fd);
  };
  const boot = (cow: string, seed: string) => {
    const args = [`ubd0=${cow},${image}`, `ubd1r=${seed}`, "mem=48M", "root=/dev/ubda"];
    const k = new RawKernel(loadConfig({ ...process.env, CORRAL_DATA_DIR: dir }).umlBinary, args);
    kernels.push(k);
    return k;
  };

  it("takes the name from the header, mounting nothing, and counts the guest seeded", async () => {
    const seed = path.join(dir, "header.img");
    await unmountableSeed(seed, spec);
    const k = boot(path.join(dir, "header.cow"), seed);
    await k.expect(/from-header:\/# /);
    expect(await k.run("hostname; grep -c ' /mnt ' /proc/mounts; ls /etc/corral-seeded")).toBe(
      "from-header\n0\n/etc/corral-seeded\n",
    );
  });

  it("on a first boot with a password, leaves the guest unseeded while the file system cannot be read", async () => {
    const seed = path.join(dir, "first.img");
    await unmountableSeed(seed, { ...spec, rootPasswordHash: TEST_ROOT_PASSWORD_HASH });
    const cow = path.join(dir, "first.cow");
    let k = boot(cow, seed);
    await k.expect(/from-header:\/# /);
    expect(await k.run("ls /etc/corral-seeded /etc/shadow 2>&1")).toMatch(
      /^ls: \/etc\/corral-seeded: No such file or directory\nls: \/etc\/shadow: No such file or directory\n$/,
    );
    await k.run("sync");
    await k.kill();
    kernels.splice(0);
    // The same guest with a readable seed: the password is set then, once.
    fs.rmSync(seed, { force: true });
    fs.rmSync(`${seed}.sha256`, { force: true });
    await writeSeedDisk(seed, { ...spec, rootPasswordHash: TEST_ROOT_PASSWORD_HASH });
    k = boot(cow, seed);
    await k.expect(/from-header:\/# /);
    expect(await k.run("cut -d: -f1,2 /etc/shadow; ls /etc/corral-seeded; grep -c ' /mnt ' /proc/mounts")).toBe(
      `root:${TEST_ROOT_PASSWORD_HASH}\n/etc/corral-seeded\n0\n`,
    );
  });

  it("mounts a seed without the header (an older daemon's) and reads its files", async () => {
    const seed = path.join(dir, "old.img");
    buildSeedDisk(seed, { hostname: "old-seed" }); // mke2fs alone: the first kilobyte is zeros
    expect(
      fs
        .readFileSync(seed)
        .subarray(0, 440)
        .every((b) => b === 0),
    ).toBe(true);
    const k = boot(path.join(dir, "old.cow"), seed);
    await k.expect(/old-seed:\/# /);
    expect(await k.run("grep -c ' /mnt ' /proc/mounts; ls /etc/corral-seeded")).toBe("0\n/etc/corral-seeded\n");
  });
});
