import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GuestMemoryReader } from "./guest-memory-reader";

// A real process standing in for a UML kernel: on request it creates a RAM backing file the
// way UML does (opened in the tmp dir, unlinked, written), or closes it.
const KERNEL = `
const fs = require("node:fs");
let fd = null;
process.on("message", ([m, file, mib]) => {
  if (m === "open") {
    fd = fs.openSync(file, "w+");
    fs.unlinkSync(file);
    fs.writeSync(fd, Buffer.alloc(mib * 1024 * 1024, 1));
  } else fs.closeSync(fd);
  process.send("done");
});
process.send("ready");`;

let kernel: ChildProcess | null = null;
let dir = "";
afterEach(() => {
  kernel?.kill("SIGKILL");
  kernel = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function startKernel() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-memreader-"));
  const proc = spawn(process.execPath, ["-e", KERNEL], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
  kernel = proc;
  await once(proc, "message");
  const ask = async (m: string, mib = 0) => {
    proc.send([m, path.join(dir, `mem-${Date.now()}`), mib]);
    await once(proc, "message");
  };
  return { pid: proc.pid!, ask };
}

/** hostMemKiB less the process's own anonymous memory: what the reader took for guest RAM. */
function guestRamKiB(r: GuestMemoryReader, pid: number): number {
  const kib = r.hostMemKiB(pid, []);
  const statm = fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ");
  return kib - (Number(statm[1]) - Number(statm[2])) * 4;
}

describe("GuestMemoryReader", () => {
  it("finds a backing file created after it first looked, and a new one after the old is closed", async () => {
    const { pid, ask } = await startKernel();
    const r = new GuestMemoryReader(dir);
    // A kernel just (re-)executed has no backing file yet: the reader must look again later.
    r.hostMemKiB(pid, []);
    r.hostMemKiB(pid, []);
    await ask("open", 16);
    expect(guestRamKiB(r, pid)).toBeGreaterThanOrEqual(15 * 1024);

    // A reboot re-executes UML: the old file is closed and a new one created.
    await ask("close");
    await ask("open", 8);
    const kib = guestRamKiB(r, pid);
    expect(kib).toBeGreaterThanOrEqual(7 * 1024);
    expect(kib).toBeLessThan(12 * 1024);
  });
});
