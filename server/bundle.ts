import fs from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { build, stop, type Plugin } from "esbuild";

/**
 * Our TypeScript as one plain JavaScript file for `node` to run without tsx, whose loader
 * thread (a second V8 isolate) and esbuild process would otherwise stay beside a long-lived
 * process for life: measured ~45 MiB of a daemon's resident memory, and its children fork
 * those page tables too. Built fresh from the sources each time, so never stale.
 *
 * Packages stay outside the bundle (node-pty and unix-dgram load native code beside their
 * JavaScript, Prisma its query compiler), imported by absolute path so the file runs from
 * wherever it is written. Written whole, then renamed: a process started from it by another
 * daemon or test never reads half a file.
 */
export async function bundleEntry(
  projectRoot: string,
  entry: string,
  out: string,
  { sourceMap = false }: { sourceMap?: boolean } = {},
): Promise<string> {
  const result = await withEsbuild(() =>
    build({
      entryPoints: [path.join(projectRoot, entry)],
      absWorkingDir: projectRoot,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: out,
      sourcemap: sourceMap ? "linked" : false,
      write: false,
      logLevel: "silent",
      plugins: [packagesByPath],
    }),
  ).catch((err: Error) => {
    throw new Error(`cannot build ${entry} (${err.message}); check the sources and node_modules`);
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // The map first: a file naming its map is only ever beside a map of the same build.
  const isMap = (f: { path: string }) => f.path.endsWith(".map");
  for (const file of [...result.outputFiles.filter(isMap), ...result.outputFiles.filter((f) => !isMap(f))]) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, file.contents, { mode: 0o600 });
    fs.renameSync(tmp, file.path);
  }
  return out;
}

// Corral's long-lived processes. Each bundle sits in build/, one directory below the root as
// its source is, for they find the root from their own file (server/config.ts...).
const ENTRIES = {
  daemon: { entry: "server/index.ts", flags: ["--enable-source-maps"] }, // stack traces name our sources
  web: { entry: "scripts/web-server.ts", flags: [] },
  serve: { entry: "scripts/serve.ts", flags: [] },
} as const satisfies Record<string, { entry: string; flags: string[] }>;
export type Bundled = keyof typeof ENTRIES;

export const isBundled = (name: string | undefined): name is Bundled => !!name && Object.hasOwn(ENTRIES, name);

/** Builds one of them and answers what follows `node` to run it: its flags, then its file. */
export async function bundledArgv(projectRoot: string, name: Bundled): Promise<string[]> {
  const { entry, flags } = ENTRIES[name];
  const file = await bundleEntry(projectRoot, entry, path.join(projectRoot, "build", `${name}.mjs`), {
    sourceMap: true,
  });
  return [...flags, file];
}

// esbuild's service process would otherwise stay beside its parent for good, idle. It is
// shared by every build in a process, so it stops only once no build is under way.
let building = 0;
async function withEsbuild<T>(run: () => Promise<T>): Promise<T> {
  building++;
  try {
    return await run();
  } finally {
    if (--building === 0) await stop();
  }
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
