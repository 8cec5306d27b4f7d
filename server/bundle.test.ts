import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bundleEntry } from "./bundle";

const projectRoot = path.resolve(import.meta.dirname, "..");

describe("bundleEntry", () => {
  let dir = "";
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes one file with our sources inside and packages by absolute path, and its map beside it", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bundle-"));
    const out = await bundleEntry(projectRoot, "server/index.ts", path.join(dir, "sub", "daemon.mjs"), {
      sourceMap: true,
    });
    expect(fs.readdirSync(path.dirname(out)).sort()).toEqual(["daemon.mjs", "daemon.mjs.map"]); // no temporary file
    const text = fs.readFileSync(out, "utf8");
    const specifiers = [...text.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    const packages = specifiers.filter((s) => !s.startsWith("node:"));
    expect(packages).toContain(path.join(projectRoot, "node_modules/socket.io/wrapper.mjs"));
    for (const p of packages) expect(p.startsWith(path.join(projectRoot, "node_modules") + path.sep)).toBe(true);
    expect(text).toMatch(/\/\/# sourceMappingURL=daemon\.mjs\.map\s*$/);
    const map = JSON.parse(fs.readFileSync(`${out}.map`, "utf8")) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith("server/index.ts"))).toBe(true);
  });

  it("refuses sources that do not build, writing nothing", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bundle-"));
    fs.writeFileSync(path.join(dir, "broken.ts"), "export const x = ;\n");
    await expect(bundleEntry(dir, "broken.ts", path.join(dir, "out", "broken.mjs"))).rejects.toThrow(
      /^cannot build broken\.ts \(.+Unexpected ";".*\); check the sources and node_modules$/s,
    );
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });
});
