import { execFileSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BulkResponse, FleetHostView, GuestView } from "../../lib/shared/protocol";
import { openDatabase } from "../../lib/server/database";
import { startPgCluster, type PgCluster } from "../test-support/pg-cluster";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";

/** Processes whose command line mentions `text` (pgrep -f), by pid. */
function pgrep(text: string): number[] {
  try {
    return execFileSync("pgrep", ["-f", text], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

// Two daemons, two hosts, one PostgreSQL (a throwaway cluster of this test's own): each runs
// its own guest, both list both, neither acts on the other's, and a host killed with -9 shows
// as unreachable — its guest unknown, still running under its keeper — until it returns.
describe("a fleet of two hosts on one PostgreSQL (real daemons, real kernels)", () => {
  let cluster: PgCluster;
  let url: string;
  const env = (name: string) => ({ CORRAL_HOST_NAME: name, CORRAL_HEARTBEAT_SECONDS: "2", CORRAL_DATABASE_URL: url });
  let a: TestDaemon;
  let b: TestDaemon;
  let ga: GuestView;
  let gb: GuestView;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE "fleet"');
    await admin.end();
    url = cluster.urlFor("fleet");
    a = new TestDaemon(env("fleet-a"));
    b = new TestDaemon(env("fleet-b"));
    await a.start();
    await b.start();
    ga = await a.createGuest("fleet-guest-a");
    gb = await b.createGuest("fleet-guest-b");
    await Promise.all([a.startGuest(ga.id), b.startGuest(gb.id)]);
  });

  afterAll(async () => {
    // b first: its guests boot from the built-in image a registered (same machine, a's data directory).
    await b?.cleanup();
    await a?.cleanup();
    cluster?.stop();
    for (const d of [a, b]) if (d) expect(pgrep(d.runDir)).toEqual([]);
  });

  const hosts = async (d: TestDaemon) => (await d.api<FleetHostView[]>("GET", "/api/hosts")).body;
  const listed = async (d: TestDaemon, query = "") => (await d.api<GuestView[]>("GET", `/api/guests${query}`)).body;

  it("creates each guest on the daemon's own host, and each daemon lists both with their hosts", async () => {
    expect(ga.hostName).toBe("fleet-a");
    expect(gb.hostName).toBe("fleet-b");
    for (const d of [a, b]) {
      const guests = await listed(d);
      expect(guests.map((g) => [g.name, g.hostName, g.state])).toEqual([
        ["fleet-guest-a", "fleet-a", "running"],
        ["fleet-guest-b", "fleet-b", "running"],
      ]);
      expect((await listed(d, "?host=fleet-b")).map((g) => g.name)).toEqual(["fleet-guest-b"]);
      expect((await listed(d, "?host=nowhere")).map((g) => g.name)).toEqual([]);
      expect((await hosts(d)).map((h) => [h.name, h.status])).toEqual([
        ["fleet-a", "up"],
        ["fleet-b", "up"],
      ]);
    }
    // Reading another host's guest works from any host.
    const read = await a.api<GuestView>("GET", `/api/guests/${gb.id}`);
    expect(read.status).toBe(200);
    expect(read.body.hostName).toBe("fleet-b");
    // Its boot log is on b's disk: a passes the read to b's daemon, with the reader's sign-in.
    const header = (text: unknown) => String(text).split("\n")[0];
    const viaA = await a.api<string>("GET", `/api/guests/${gb.id}/boots/1/log`);
    const atB = await b.api<string>("GET", `/api/guests/${gb.id}/boots/1/log`);
    expect(viaA.status).toBe(200);
    expect(header(viaA.body)).toContain('"version":2');
    expect(header(viaA.body)).toBe(header(atB.body));
    const stranger = await a.api("GET", `/api/guests/${gb.id}/boots/1/log`, undefined, { as: null });
    expect(stranger.status).toBe(401);
  });

  it("refuses to act on the other host's guest with 409 naming its host, and changes nothing", async () => {
    const kernelsBefore = b.kernels().map((k) => k.pid);
    expect(kernelsBefore.length).toBeGreaterThan(0);
    const attempts: Array<[string, string, unknown?]> = [
      ["POST", `/api/guests/${gb.id}/stop`],
      ["POST", `/api/guests/${gb.id}/force-off`],
      ["POST", `/api/guests/${gb.id}/reboot`],
      ["POST", `/api/guests/${gb.id}/start`],
      ["PATCH", `/api/guests/${gb.id}`, { memoryMiB: 96 }],
      ["DELETE", `/api/guests/${gb.id}`],
      ["POST", `/api/guests/${gb.id}/reset`, {}],
      ["POST", `/api/guests/${gb.id}/snapshots`, { name: "s1" }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await a.api<{ error: { code: string; message: string } }>(method as "POST", path, body);
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.error.message).toContain("runs on host fleet-b; act on it there");
    }
    const bulk = await a.api<BulkResponse>("POST", "/api/guests/bulk", { action: "force-off", ids: [gb.id] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toEqual([
      expect.objectContaining({ id: gb.id, ok: false, code: "conflict", message: expect.stringContaining("fleet-b") }),
    ]);
    const socket = await a.socket();
    const attach = await socket.emitWithAck("console:attach", { guestId: gb.id, cols: 80, rows: 24 });
    expect(attach).toEqual({ ok: false, error: expect.stringContaining("runs on host fleet-b") });

    const after = await b.guest(gb.id);
    expect(after.state).toBe("running");
    expect(after.memoryMiB).toBe(64);
    expect(after.lastBoot?.number).toBe(1);
    expect(b.kernels().map((k) => k.pid)).toEqual(kernelsBefore);
    expect((await b.api("GET", `/api/guests/${gb.id}/snapshots`)).body).toEqual([]);
    // Its own host still acts on it: the console answers there.
    const tap = await b.attachConsole(await b.socket(), gb.id);
    expect(tap.epoch).toBeTruthy();
  });

  it("shows a host killed with -9 as unreachable and its guest unknown, and both back when it returns", async () => {
    const keeper = b.keeperPid();
    expect(keeper).not.toBeNull();
    await b.stop("SIGKILL");
    await waitFor(
      "fleet-b to be unreachable",
      async () => (await hosts(a)).find((h) => h.name === "fleet-b")?.status === "unreachable",
      60_000,
    );
    const seen = await listed(a);
    expect(seen.map((g) => [g.name, g.state])).toEqual([
      ["fleet-guest-a", "running"],
      ["fleet-guest-b", "unknown"],
    ]);
    expect(seen[1].stateReason).toContain("host unreachable");
    // Computed when read: the stored state is untouched, and the guest still runs under b's keeper.
    const db = openDatabase(url);
    try {
      expect((await db.guest.findUniqueOrThrow({ where: { id: gb.id } })).state).toBe("running");
    } finally {
      await db.$disconnect();
    }
    expect(b.keeperPid()).toBe(keeper);
    const log = await a.api<{ error: { message: string } }>("GET", `/api/guests/${gb.id}/boots/1/log`);
    expect(log.status).toBe(503);
    expect(log.body.error.message).toContain("runs on host fleet-b, whose daemon did not answer");
    expect(b.kernels().length).toBeGreaterThan(0);

    await b.start();
    await waitFor(
      "fleet-b back up with its guest",
      async () => {
        const up = (await hosts(a)).find((h) => h.name === "fleet-b")?.status === "up";
        return up && (await a.guest(gb.id)).state === "running";
      },
      60_000,
    );
    expect((await b.guest(gb.id)).state).toBe("running");
    expect((await b.guest(gb.id)).lastBoot?.number).toBe(1);
    expect((await a.guest(ga.id)).state).toBe("running");
  });
});
