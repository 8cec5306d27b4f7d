// A throwaway PostgreSQL cluster for one test run (or one script): initdb into a temp
// directory as the `postgres` user (initdb and postgres refuse root), a server on a loopback
// port and a unix socket in that directory, stopped and removed afterwards — also when the
// run is interrupted (SIGINT/SIGTERM) or the process exits.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./wait";

const BIN = process.env.CORRAL_PG_BIN ?? "/usr/lib/postgresql/15/bin";
export const PG_USER = "corral";

export interface PgCluster {
  /** The maintenance database's URL (create and drop databases through it). */
  adminUrl: string;
  /** A URL for database `name` on this cluster. */
  urlFor(name: string): string;
  /** Its directory (data, socket, log): removed by stop(). */
  dir: string;
  stop(): void;
}

/** `argv` as the postgres user when we are root (as CI is), else as ourselves. */
function asPostgres(argv: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", ...argv]] : [argv[0], argv.slice(1)];
}

/**
 * `ownSignals: false` leaves SIGINT/SIGTERM to the caller (a bench that must stop its daemons
 * first, then call stop()); the cluster is still stopped when the process exits.
 */
export async function startPgCluster({ ownSignals = true } = {}): Promise<PgCluster> {
  if (!fs.existsSync(path.join(BIN, "pg_ctl")))
    throw new Error(
      `PostgreSQL is not installed (no ${BIN}/pg_ctl): run scripts/setup.sh --test, or apt-get install postgresql.`,
    );
  // The tag lets `npm test` find a server its own run left behind (scripts/test.sh).
  const tag = process.env.CORRAL_TEST_TAG ? `${process.env.CORRAL_TEST_TAG}-` : "";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `corral-pg-${tag}`));
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  const port = await freePort();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stop);
    for (const s of ["SIGINT", "SIGTERM"] as const) process.off(s, onSignal);
    const [cmd, args] = asPostgres([path.join(BIN, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]);
    if (fs.existsSync(path.join(data, "postmaster.pid"))) spawnSync(cmd, args, { stdio: "ignore" });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal); // handlers removed: the default action now ends us
  };
  process.on("exit", stop);
  if (ownSignals) for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, onSignal);
  try {
    const run = (argv: string[]) => {
      const [cmd, args] = asPostgres(argv);
      execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    };
    run([path.join(BIN, "initdb"), "-D", data, "--auth=trust", "-U", PG_USER, "-E", "UTF8", "--locale=C.UTF-8"]);
    const opts = `-k ${dir} -p ${port} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    run([path.join(BIN, "pg_ctl"), "-D", data, "-l", path.join(dir, "server.log"), "-o", opts, "-w", "start"]);
  } catch (err) {
    stop();
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`starting a throwaway PostgreSQL failed: ${e.stderr?.toString() || e.message}`, { cause: err });
  }
  const urlFor = (name: string) => `postgresql://${PG_USER}@127.0.0.1:${port}/${name}`;
  return { adminUrl: urlFor("postgres"), urlFor, dir, stop };
}
