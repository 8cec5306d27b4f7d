import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../test-support/wait";
import { bundleKeeper } from "./keeper-bundle";
import { KeeperClient } from "./keeper-client";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the keeper's bundle", () => {
  let runDir = "";
  afterEach(() => fs.rmSync(runDir, { recursive: true, force: true }));

  it("imports packages by absolute path, so it runs from the run directory", async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-keeper-bundle-"));
    const file = await bundleKeeper(projectRoot, runDir);
    expect(file).toBe(path.join(runDir, "keeper.mjs"));
    const specifiers = [...fs.readFileSync(file, "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    const packages = specifiers.filter((s) => !s.startsWith("node:"));
    expect(packages).toContain(path.join(projectRoot, "node_modules/node-pty/lib/index.js"));
    for (const p of packages) expect(p.startsWith(path.join(projectRoot, "node_modules") + path.sep)).toBe(true);
    expect(fs.readdirSync(runDir)).toEqual(["keeper.mjs"]); // no temporary file left
  });

  it("is what the daemon starts: plain node, no TypeScript loader, and it answers", async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-keeper-bundle-"));
    const client = new KeeperClient(runDir, projectRoot, path.join(runDir, "keeper.log"));
    const { pid, guests } = await client.connect();
    try {
      expect(guests).toEqual([]);
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      expect(argv.slice(1)).toEqual([path.join(runDir, "keeper.mjs"), runDir]);
    } finally {
      client.close();
      // With no guests and no daemon it exits by itself (and is reaped by this process).
      await waitFor("the keeper to exit", () => !alive(pid), 30_000);
    }
  });
});
