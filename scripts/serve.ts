// Runs the host daemon and the web server side by side; stops both when either stops or
// when this process is interrupted. The daemon gets SIGTERM so it stops its guests cleanly.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_WEB_PORT } from "../lib/shared/settings";
import { bundledArgv } from "../server/bundle";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webPort = process.env.CORRAL_WEB_PORT || String(DEFAULT_WEB_PORT);
const webHost = process.env.CORRAL_WEB_HOST || "127.0.0.1";
const env = { ...process.env, CORRAL_WEB_PORT: webPort };

const [daemon, web] = await Promise.all([bundledArgv(root, "daemon"), bundledArgv(root, "web")]);
const children: ChildProcess[] = [
  spawn(process.execPath, daemon, { cwd: root, env, stdio: "inherit" }),
  spawn(process.execPath, web, {
    cwd: root,
    env: { ...env, CORRAL_WEB_HOST: webHost },
    stdio: "inherit",
  }),
];

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  let left = children.filter((c) => c.exitCode === null).length;
  if (left === 0) process.exit(code);
  for (const c of children) c.once("exit", () => --left === 0 && process.exit(code));
}

for (const c of children) c.on("exit", (code) => stopAll(code ?? 1));
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
console.log(`\n  Corral: http://${webHost === "0.0.0.0" ? "localhost" : webHost}:${webPort}\n`);
