import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedFiles, writeSeedDisk, type SeedSpec } from "./seed-disk";

const sbin = (name: string) => (fs.existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : `/sbin/${name}`);
const DEBUGFS = sbin("debugfs");
const spec: SeedSpec = { hostname: "first", network: null, rootPasswordHash: null, authorizedKeys: null };

/** A file on the seed's ext2 file system, read with e2fsprogs' debugfs (no mount needed). */
const readSeed = (file: string, name: string) =>
  execFileSync(DEBUGFS, ["-R", `cat /${name}`, file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

describe("writeSeedDisk", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-seed-test-"));
    file = path.join(dir, "seed.img");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps a seed made from the same files, and makes it again when they change", async () => {
    await writeSeedDisk(file, spec);
    expect(readSeed(file, "hostname")).toBe("first\n");
    const made = fs.statSync(file).ino;

    await writeSeedDisk(file, spec);
    expect(fs.statSync(file).ino).toBe(made); // not written again: no mke2fs on a restart

    await writeSeedDisk(file, { ...spec, hostname: "renamed" });
    expect(fs.statSync(file).ino).not.toBe(made);
    expect(readSeed(file, "hostname")).toBe("renamed\n");

    await writeSeedDisk(file, { ...spec, hostname: "renamed", authorizedKeys: "ssh-ed25519 AAAA key" });
    expect(readSeed(file, "authorized_keys")).toBe("ssh-ed25519 AAAA key\n");
  });

  it("makes the seed again when the disk or its digest is missing", async () => {
    await writeSeedDisk(file, spec);
    fs.rmSync(file);
    await writeSeedDisk(file, spec);
    expect(readSeed(file, "hostname")).toBe("first\n");

    const made = fs.statSync(file).ino;
    fs.rmSync(`${file}.sha256`);
    await writeSeedDisk(file, spec);
    expect(fs.statSync(file).ino).not.toBe(made);
    expect(fs.readdirSync(dir).sort()).toEqual(["seed.img", "seed.img.sha256"]);
  });

  /** The disk's first 440 bytes up to the first zero: the header an init reads. */
  const header = (file: string) => {
    const head = fs.readFileSync(file).subarray(0, 440);
    expect(head.subarray(head.indexOf(0)).every((b) => b === 0)).toBe(true);
    return head.subarray(0, head.indexOf(0)).toString();
  };
  const checkExt2 = (file: string) => {
    const fsck = spawnSync(sbin("e2fsck"), ["-fn", file], { encoding: "utf8" });
    expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
    // What a Debian guest's init finds it by: the label, through libblkid's probing.
    expect(execFileSync(sbin("blkid"), ["-o", "export", file], { encoding: "utf8" })).toMatch(
      /^LABEL=CORRALSEED\n[\s\S]*^TYPE=ext2$/m,
    );
  };

  it("begins with a header of the name and network, ahead of the ext2 file system", async () => {
    const network = { address: "10.0.2.15/24", gateway: "10.0.2.2", dns: "10.0.2.3", dhcp: false };
    await writeSeedDisk(file, { ...spec, network });
    expect(header(file)).toBe(
      "CORRAL-SEED 1\nHOSTNAME=first\nIFACE=vec0\nADDRESS=10.0.2.15/24\nGATEWAY=10.0.2.2\nDNS=10.0.2.3\nEND\n",
    );
    checkExt2(file);
    expect(readSeed(file, "network")).toContain("ADDRESS=10.0.2.15/24\n");
  });

  it("says FIRSTBOOT when the file system holds a password or keys, also on a seed made by mke2fs", async () => {
    await writeSeedDisk(file, { ...spec, rootPasswordHash: "$6$salt$hash" });
    expect(header(file)).toBe("CORRAL-SEED 1\nHOSTNAME=first\nFIRSTBOOT=1\nEND\n");
    checkExt2(file);
    const big = `ssh-ed25519 ${"k".repeat(13 * 1024)}`; // too large for the in-memory image
    await writeSeedDisk(file, { ...spec, hostname: "big", authorizedKeys: big });
    expect(header(file)).toBe("CORRAL-SEED 1\nHOSTNAME=big\nFIRSTBOOT=1\nEND\n");
    checkExt2(file);
    expect(readSeed(file, "authorized_keys")).toBe(`${big}\n`);
  });

  it("makes again a seed made before the header, though its files are the same", async () => {
    await writeSeedDisk(file, spec);
    // As an older daemon left it: no header, and the digest of the files alone.
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.alloc(440), 0, 440, 0);
    fs.closeSync(fd);
    const files = seedFiles(spec, "vec0");
    const h = createHash("sha256");
    for (const name of Object.keys(files).sort()) h.update(JSON.stringify([name, files[name].mode, files[name].text]));
    fs.writeFileSync(`${file}.sha256`, h.digest("hex"));
    await writeSeedDisk(file, spec);
    expect(header(file)).toBe("CORRAL-SEED 1\nHOSTNAME=first\nEND\n");
  });
});
