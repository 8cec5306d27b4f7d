// Entry point of the console keeper (see keeper-server.ts). Started detached by the host
// daemon as one bundled file (keeper-bundle.ts): `node <run dir>/keeper.mjs <run dir>`.
import fs from "node:fs";
import path from "node:path";
import { logger } from "../log";
import { KeeperServer } from "./keeper-server";
import { keeperJournalSchema, type KeeperJournal } from "./protocol";

const log = logger("keeper");
const runDir = process.argv[2];
if (!runDir || !path.isAbsolute(runDir)) {
  process.stderr.write("usage: keeper <absolute run dir>\n");
  process.exit(2);
}
fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
const pidFile = path.join(runDir, "keeper.pid");
const journalFile = path.join(runDir, "keeper-journal.json");

const server = new KeeperServer(
  path.join(runDir, "keeper.sock"),
  () => {
    keepJournal();
    log.info("no guests and no daemon: exiting");
    server.close();
    fs.rmSync(pidFile, { force: true });
    process.exit(0);
  },
  readJournal(),
);

/** The last keeper's unacknowledged events; this keeper holds them once it listens. */
function readJournal(): KeeperJournal | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(journalFile, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      log.error("cannot read the last keeper's journal", { err: String(err) });
    return undefined;
  }
  const parsed = keeperJournalSchema.safeParse(raw);
  if (!parsed.success) {
    log.error("ignoring a malformed journal from the last keeper", { err: parsed.error.message });
    return undefined;
  }
  log.info("took over the last keeper's journal", { events: parsed.data.journal.length });
  return parsed.data as KeeperJournal;
}

/** Written whole or not at all: a keeper killed while writing leaves the last complete one. */
function keepJournal(): void {
  const left = server.unacknowledged();
  if (!left) return;
  const tmp = `${journalFile}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(left), { mode: 0o600 });
    fs.renameSync(tmp, journalFile);
    log.info("left the unacknowledged events for the next keeper", { events: left.journal.length });
  } catch (err) {
    log.error("cannot leave the unacknowledged events for the next keeper", { err: String(err) });
  }
}

// The keeper outlives the daemon by design; terminal hang-ups and the daemon's own signals
// must not take it down. Only SIGTERM/SIGKILL sent to it on purpose stop it.
process.on("SIGHUP", () => {});
process.on("SIGINT", () => {});
process.on("SIGPIPE", () => {});
process.on("SIGTERM", () => {
  log.warn("SIGTERM: killing every kernel and exiting");
  server.killAll();
  server.close();
  // The pid file goes last: whoever waits for it to go may then remove the run directory.
  setTimeout(() => {
    // An attached daemon heard these ends (and that the keeper went): nothing to hand over.
    if (!server.attached) keepJournal();
    fs.rmSync(pidFile, { force: true });
    process.exit(0);
  }, 200);
});

server
  .listen()
  .then(() => {
    fs.writeFileSync(pidFile, String(process.pid));
    fs.rmSync(journalFile, { force: true }); // held in memory now, and left again on exit
    log.info("listening", { runDir, pid: process.pid });
  })
  .catch((err) => {
    log.error("cannot listen", { err: String(err) });
    process.exit(1);
  });
