import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeSeedDisk, type SeedSpec } from "./seed-disk";

const DEBUGFS = fs.existsSync("/usr/sbin/debugfs") ? "/usr/sbin/debugfs" : "/sbin/debugfs";
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
});
