import fs from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { build, stop, type Plugin } from "esbuild";

/**
 * The keeper as one plain JavaScript file, built from its sources when the daemon starts it:
 * run through tsx it carries tsx's loader thread (a second V8 isolate) and an esbuild process
 * for life, which doubled its memory and page tables — and every kernel and slirp4netns it
 * forks copies those page tables and faults its pages back. Built fresh each time, never stale.
 *
 * Packages stay outside the bundle (node-pty and unix-dgram load native code beside their
 * JavaScript), imported by absolute path so the bundle runs from the run directory.
 */
export async function bundleKeeper(projectRoot: string, runDir: string): Promise<string> {
  const out = path.join(runDir, "keeper.mjs");
  const result = await build({
    entryPoints: [path.join(projectRoot, "server/keeper/main.ts")],
    absWorkingDir: projectRoot,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
    plugins: [packagesByPath],
  })
    .catch((err: Error) => {
      throw new Error(
        `cannot build the console keeper from server/keeper/ (${err.message}); check the sources and node_modules`,
      );
    })
    // esbuild's service process would otherwise stay beside the daemon for good, idle.
    .finally(stop);
  // Written whole, then renamed: a keeper started by another daemon on this run directory
  // never reads half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0].contents, { mode: 0o600 });
  fs.renameSync(tmp, out);
  return out;
}

const packagesByPath: Plugin = {
  name: "packages-by-path",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (isBuiltin(args.path) || args.pluginData === "by-path") return undefined;
      const found = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "by-path",
      });
      if (found.errors.length) return { errors: found.errors };
      // Sources of our own reached through a path alias are bundled; packages are not.
      if (!found.path.includes(`${path.sep}node_modules${path.sep}`)) return { path: found.path };
      return { path: found.path, external: true };
    });
  },
};
