// Runs a real host daemon (a child process, as in production) against a throwaway data
// directory, and speaks to it the way the web and browsers do: HTTP JSON (daemon-session.ts)
// and socket.io.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GuestState, GuestView, GuestViewState } from "../../lib/shared/protocol";
import { findKernels } from "../uml/kernel-process";
import { attachTap, connectSocket, type ConsoleTap, type TestSocket } from "./console-tap";
import { ADMIN_PASSWORD, DaemonSession } from "./daemon-session";
import { freePort, waitFor } from "./wait";
import { openDatabase, type Db } from "../../lib/server/database";
import { bundledArgv } from "../bundle";
import { createTestDatabase, dropTestDatabase, onPostgres, testDatabaseUrl } from "./test-database";

export { ConsoleTap, type TestSocket } from "./console-tap";
export { freePort, waitFor, waitWhileProgressing } from "./wait";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// The daemon runs as it does in production, from its bundle: built once per test process.
let daemonArgv: Promise<string[]> | null = null;

export class TestDaemon extends DaemonSession {
  proc: ChildProcess | null = null;
  readonly dataDir: string;
  readonly runDir: string;
  /** SQLite in the data directory, or a database of its own on the run's PostgreSQL (test-database.ts). */
  readonly databaseUrl: string;
  private databaseCreated = false;
  port = 0;
  logText = "";
  private sockets: TestSocket[] = [];

  constructor(private readonly env: Record<string, string> = {}) {
    super();
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-test-"));
    // The tag lets `npm test` find anything its own run left behind (scripts/test.sh).
    const tag = process.env.CORRAL_TEST_TAG ? `${process.env.CORRAL_TEST_TAG}-` : "";
    this.runDir = path.join(os.tmpdir(), `corral-run-${tag}${path.basename(this.dataDir).slice(-6)}`);
    this.databaseUrl = onPostgres()
      ? testDatabaseUrl(this.dataDir)
      : testDatabaseUrl(env.CORRAL_DATA_DIR ?? this.dataDir);
  }

  /** What a script run beside this daemon sets to open its database (scripts/audit-verify.ts…). */
  databaseEnv(): Record<string, string> {
    const dataDir = this.env.CORRAL_DATA_DIR ?? this.dataDir;
    return { CORRAL_DATA_DIR: dataDir, ...(onPostgres() ? { CORRAL_DATABASE_URL: this.databaseUrl } : {}) };
  }

  /** A client on this daemon's database (the caller disconnects it). */
  openDb(): Db {
    return openDatabase(this.databaseUrl);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    if (onPostgres() && !this.databaseCreated) {
      await createTestDatabase(this.databaseUrl);
      this.databaseCreated = true;
    }
    // CORRAL_BENCH_PROFILE_DIR: the daemon writes a CPU profile there when it exits (for benches).
    const prof = process.env.CORRAL_BENCH_PROFILE_DIR
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.CORRAL_BENCH_PROFILE_DIR}`]
      : [];
    daemonArgv ??= bundledArgv(root, "daemon");
    this.proc = spawn(process.execPath, [...prof, ...(await daemonArgv)], {
      cwd: root,
      env: {
        ...process.env,
        CORRAL_DATA_DIR: this.dataDir,
        CORRAL_RUN_DIR: this.runDir,
        CORRAL_DAEMON_PORT: String(this.port),
        CORRAL_LOG_LEVEL: "debug",
        CORRAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ...(onPostgres() ? { CORRAL_DATABASE_URL: this.databaseUrl } : {}),
        ...this.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.proc.stdout!.on("data", (d) => (this.logText += d));
    this.proc.stderr!.on("data", (d) => (this.logText += d));
    const proc = this.proc;
    await waitFor(
      "the daemon to listen",
      async () => {
        if (proc.exitCode !== null) throw new Error(`daemon exited (${proc.exitCode}):\n${this.logText}`);
        try {
          return (await fetch(`${this.url}/api/health`)).ok;
        } catch {
          return false;
        }
      },
      // A first start migrates the database and builds the busybox image: on a loaded
      // machine that can take minutes. The deadline only catches a daemon that never listens.
      240_000,
    );
  }

  async defaultImageId(): Promise<string> {
    const { body } = await this.api<Array<{ id: string; builtIn: boolean }>>("GET", "/api/images");
    return body.find((i) => i.builtIn)!.id;
  }

  async createGuest(name: string, extra: Record<string, unknown> = {}): Promise<GuestView> {
    const res = await this.api<GuestView>("POST", "/api/guests", {
      name,
      imageId: await this.defaultImageId(),
      memoryMiB: 64,
      ...extra,
    });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async guest(id: string): Promise<GuestView> {
    return (await this.api<GuestView>("GET", `/api/guests/${id}`)).body;
  }

  /**
   * On timeout, says where the guest was instead: its state and what its last boot said.
   * `failOn`: states that end the wait at once (a boot that failed is not waited out).
   */
  async waitForState(
    id: string,
    state: GuestState,
    timeoutMs = 120_000,
    failOn: GuestViewState[] = [],
  ): Promise<GuestView> {
    let last: GuestView | null = null;
    try {
      return await waitFor(
        `guest ${id} to be ${state}`,
        async () => {
          last = await this.guest(id);
          if (failOn.includes(last.state)) throw new Error(`guest ${id} became ${last.state}, not ${state}`);
          return last.state === state ? last : null;
        },
        timeoutMs,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; it is ${JSON.stringify(last)}`, { cause: err });
    }
  }

  async startGuest(id: string): Promise<GuestView> {
    const res = await this.api("POST", `/api/guests/${id}/start`);
    if (res.status !== 202) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
    return this.waitForState(id, "running", 120_000, ["crashed"]);
  }

  /** A socket.io client signed in as the admin, or with the given session cookie or API token. */
  async socket(as?: string): Promise<TestSocket> {
    const s = await connectSocket(this.url, as ?? (await this.admin()));
    this.sockets.push(s);
    return s;
  }

  /** Attaches a console and collects everything it prints (snapshot first). */
  attachConsole(...args: Parameters<typeof attachTap>): Promise<ConsoleTap> {
    return attachTap(...args);
  }

  /** SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    for (const s of this.sockets) s.close();
    this.sockets = [];
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode) return;
    const gone = new Promise((r) => proc.once("exit", r));
    proc.kill(signal);
    await gone;
  }

  /** Kernels still running from this daemon's data directory. */
  kernels(): Array<{ pid: number; umid: string | null }> {
    return findKernels(this.runDir);
  }

  /** The console keeper's pid, if one runs for this daemon's run directory. */
  keeperPid(): number | null {
    try {
      const pid = Number(fs.readFileSync(path.join(this.runDir, "keeper.pid"), "utf8"));
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  }

  /** Stops everything this daemon started: guests, the daemon, the console keeper. */
  async cleanup(): Promise<void> {
    if (this.proc && this.proc.exitCode === null && !this.proc.signalCode) {
      // A wedged daemon must not hang the cleanup: the keeper and kernels are killed below anyway.
      const signal = AbortSignal.timeout(30_000);
      const { body } = await this.api<GuestView[]>("GET", "/api/guests", undefined, { signal }).catch(() => ({
        body: [] as GuestView[],
      }));
      for (const g of Array.isArray(body) ? body : []) {
        if (["queued", "booting", "running", "stopping"].includes(g.state))
          await this.api("POST", `/api/guests/${g.id}/force-off`, undefined, { signal }).catch(() => {});
      }
    }
    // A daemon that does not exit on SIGTERM is a bug the test reports, after cleaning up
    // (SIGKILL, then the keeper and kernels below), never a hook that hangs without a word.
    let wedged: Error | null = null;
    const proc = this.proc;
    const killer = setTimeout(() => {
      wedged = new Error(`the daemon did not exit within 60 s of SIGTERM; its log ends:\n${this.logText.slice(-4000)}`);
      proc?.kill("SIGKILL");
    }, 60_000);
    await this.stop("SIGTERM").finally(() => clearTimeout(killer));
    const keeper = this.keeperPid();
    if (keeper) {
      process.kill(keeper, "SIGTERM"); // the keeper kills its kernels on SIGTERM
      await waitFor("the keeper to exit", () => this.keeperPid() === null, 10_000).catch(() => {});
    }
    for (const { pid } of this.kernels()) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {}
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    fs.rmSync(this.runDir, { recursive: true, force: true });
    if (this.databaseCreated) await dropTestDatabase(this.databaseUrl);
    this.databaseCreated = false;
    if (wedged) throw wedged;
  }
}
