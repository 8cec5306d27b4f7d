// `npm run daemon` and the end-to-end run's daemon: the host daemon alone, from its bundle
// (server/bundle.ts), as `npm start` runs it. SIGTERM and SIGINT reach the daemon, which
// stops its guests cleanly; this exits with its status.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleDaemon, DAEMON_NODE_FLAGS } from "../server/bundle";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const daemon = spawn(process.execPath, [...DAEMON_NODE_FLAGS, await bundleDaemon(root)], {
  cwd: root,
  stdio: "inherit",
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => daemon.kill(signal));
daemon.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
