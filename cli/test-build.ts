// The CLI as one prebuilt ES module, for tests that run `corral` many times. cli/corral.mjs
// registers tsx and compiles the CLI's TypeScript in every process: about a second of CPU per
// command, most of a command's cost on a loaded machine. Built once per version of the sources
// (build/cli-test/<digest>/), it starts as fast as plain JavaScript; the tests still run it as
// a child process, the way scripts do, and cli/corral.mjs itself stays tested on a terminal.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The sources the CLI is built from: its own and lib/'s, tests left out. */
function sourceDigest(): string {
  const hash = createHash("sha256");
  for (const dir of ["cli", "lib"]) {
    const files = fs
      .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .sort();
    for (const f of files) hash.update(`${dir}/${f}\0`).update(fs.readFileSync(path.join(root, dir, f)));
  }
  return hash.digest("hex").slice(0, 16);
}

let built: Promise<string> | null = null;

/** The prebuilt CLI's entry (built the first time it is asked for, unless a run already did). */
export function prebuiltCli(): Promise<string> {
  built ??= buildCli();
  return built;
}

async function buildCli(): Promise<string> {
  const dir = path.join(root, "build", "cli-test", sourceDigest());
  const entry = path.join(dir, "main.mjs");
  if (fs.existsSync(entry)) return entry;
  // Built beside, then renamed into place: test processes building at once never see half a build.
  const tmp = `${dir}.${process.pid}.tmp`;
  await build({
    configFile: false,
    root,
    publicDir: false,
    logLevel: "warn",
    build: {
      ssr: path.join(root, "cli", "corral-entry.ts"),
      outDir: tmp,
      emptyOutDir: true,
      target: "node20",
      minify: false,
      rollupOptions: { output: { entryFileNames: "main.mjs" } },
    },
  });
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(entry)) throw err; // another process's build won the race otherwise
  }
  return entry;
}
