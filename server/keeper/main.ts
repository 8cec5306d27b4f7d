// Entry point of the console keeper (see keeper-server.ts). Started detached by the host
// daemon as one bundled file (keeper-bundle.ts): `node <run dir>/keeper.mjs <run dir>`.
import fs from "node:fs";
import path from "node:path";
import { logger } from "../log";
import { KeeperServer } from "./keeper-server";

const log = logger("keeper");
const runDir = process.argv[2];
if (!runDir || !path.isAbsolute(runDir)) {
  process.stderr.write("usage: keeper <absolute run dir>\n");
  process.exit(2);
}
fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
const pidFile = path.join(runDir, "keeper.pid");

const server = new KeeperServer(path.join(runDir, "keeper.sock"), () => {
  log.info("no guests and no daemon: exiting");
  server.close();
  fs.rmSync(pidFile, { force: true });
  process.exit(0);
});

// The keeper outlives the daemon by design; terminal hang-ups and the daemon's own signals
// must not take it down. Only SIGTERM/SIGKILL sent to it on purpose stop it.
process.on("SIGHUP", () => {});
process.on("SIGINT", () => {});
process.on("SIGPIPE", () => {});
process.on("SIGTERM", () => {
  log.warn("SIGTERM: killing every kernel and exiting");
  server.killAll();
  server.close();
  fs.rmSync(pidFile, { force: true });
  setTimeout(() => process.exit(0), 200);
});

server
  .listen()
  .then(() => {
    fs.writeFileSync(pidFile, String(process.pid));
    log.info("listening", { runDir, pid: process.pid });
  })
  .catch((err) => {
    log.error("cannot listen", { err: String(err) });
    process.exit(1);
  });
