// Two daemons, two hosts, one PostgreSQL (a throwaway cluster of the test's own), sharing a
// fleet secret: what the fleet tests (server/hosts/fleet*.int.test.ts) and bench:fleet stand on.
import { execFileSync } from "node:child_process";
import pg from "pg";
import type { FleetHostView, GuestView } from "../../lib/shared/protocol";
import { FLEET_HEADER, FleetPasses } from "../hosts/fleet-pass";
import { TestDaemon } from "./daemon-harness";
import { apiResult, type ApiResult } from "./daemon-session";
import { startPgCluster, type PgCluster } from "./pg-cluster";

/** The fleet secret the rig's daemons share (tests forge passes with it, and with others). */
export const FLEET_SECRET = "fleet-test-secret-0123456789abcdef0123456789";

/** Processes whose command line mentions `text` (pgrep -f), by pid. */
export function pgrep(text: string): number[] {
  try {
    return execFileSync("pgrep", ["-f", text], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export class FleetRig {
  cluster: PgCluster | null = null;
  url = "";
  a!: TestDaemon;
  b!: TestDaemon;

  /**
   * Starts the cluster and daemons `fleet-a` and `fleet-b` (heartbeat 2 s), each with `extraEnv`
   * and its own of `hostEnv`; see startPgCluster for `ownSignals`.
   */
  async start(
    extraEnv: Record<string, string> = {},
    {
      ownSignals = true,
      hostEnv = {},
    }: { ownSignals?: boolean; hostEnv?: Partial<Record<"a" | "b", Record<string, string>>> } = {},
  ): Promise<void> {
    this.cluster = await startPgCluster({ ownSignals });
    const admin = new pg.Client({ connectionString: this.cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE "fleet"');
    await admin.end();
    this.url = this.cluster.urlFor("fleet");
    const env = (name: string, own: Record<string, string> = {}) => ({
      CORRAL_HOST_NAME: name,
      CORRAL_HEARTBEAT_SECONDS: "2",
      CORRAL_DATABASE_URL: this.url,
      CORRAL_FLEET_SECRET: FLEET_SECRET,
      ...extraEnv,
      ...own,
    });
    this.a = new TestDaemon(env("fleet-a", hostEnv.a));
    this.b = new TestDaemon(env("fleet-b", hostEnv.b));
    await this.a.start();
    await this.b.start();
  }

  /** Stops both daemons (b first: its guests boot from the image a registered) and removes the cluster. */
  async cleanup(): Promise<void> {
    try {
      await this.b?.cleanup();
      await this.a?.cleanup();
    } finally {
      this.cluster?.stop();
    }
  }

  /** Kernels, keepers, the PostgreSQL server, or anything else the rig started, still running. */
  leftovers(): number[] {
    const dirs = [this.a?.runDir, this.b?.runDir, this.cluster?.dir].filter((d): d is string => !!d);
    return dirs.flatMap((d) => pgrep(d));
  }

  async hosts(d: TestDaemon = this.a): Promise<FleetHostView[]> {
    return (await d.api<FleetHostView[]>("GET", "/api/hosts")).body;
  }

  async hostId(name: string): Promise<{ id: string; name: string }> {
    const host = (await this.hosts()).find((h) => h.name === name);
    if (!host) throw new Error(`no host ${name}`);
    return { id: host.id, name };
  }

  /** A guest created through daemon `d` on that daemon's own host (an admin's choice: placement would pick by free memory). */
  async createGuestOn(d: TestDaemon, name: string, extra: Record<string, unknown> = {}): Promise<GuestView> {
    const host = await this.hostId(d === this.a ? "fleet-a" : "fleet-b");
    return d.createGuest(name, { hostId: host.id, ...extra });
  }

  /** Passes as host `from` would issue them, under `secret` and with a clock of `now`. */
  async passes(from: string, secret = FLEET_SECRET, now: () => number = Date.now): Promise<FleetPasses> {
    return new FleetPasses(secret, await this.hostId(from), now);
  }

  /** A request to daemon `d` carrying `pass` (and no sign-in of its own), as another daemon sends one. */
  async relayed<T = unknown>(
    d: TestDaemon,
    pass: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { [FLEET_HEADER]: pass };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(d.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return apiResult<T>(res);
  }
}
