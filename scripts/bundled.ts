// Runs one of Corral's processes from its bundle (server/bundle.ts), as `npm start` runs it:
// `bundled.ts daemon` (npm run daemon, the e2e run's daemon), `bundled.ts web`. SIGTERM and
// SIGINT reach it (the daemon stops its guests cleanly) and this exits with its status.
// `bundled.ts --build NAME` only builds it (scripts/start.sh then runs it itself).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundledArgv, isBundled } from "../server/bundle";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildOnly = process.argv[2] === "--build";
const name = process.argv[buildOnly ? 3 : 2];
if (!isBundled(name)) {
  console.error(`usage: bundled.ts [--build] daemon|web|serve (not "${name ?? ""}")`);
  process.exit(2);
}
const argv = await bundledArgv(root, name);
if (!buildOnly) {
  const child = spawn(process.execPath, argv, { cwd: root, stdio: "inherit" });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
