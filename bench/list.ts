// The guest list and the consolidation page as the host fills up: each page's server answer
// (median of 5, after one warm-up) at 0, 100 and 500 guests, as a ratio to the same page
// with no guests, measured in one run against one daemon and one web server of its own.
// Also the web server's CPU per answer (its process's utime+stime over the 5): on a host
// shared with other work the wall time varies several-fold, the CPU a page costs much less.
//
// The guests are created through the daemon's API and stay stopped (a list's cost does not
// depend on kernels running); each is given, straight in the database, 60 finished boots
// and the last hour of metric samples at 5 s with the minute rollups compaction writes of
// them (server/metrics/compaction.ts), as if it had been running an hour, so the pages read
// sparklines, charts and boot history as they would on a busy host.
// Usage: npm run bench:list [-- 0,100,500]    (needs `npx next build` first; CORRAL_BENCH_PROFILE=dir
// profiles the web server, CORRAL_BENCH_SAVE=dir keeps each page's last answer)
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { openDatabase, type Db } from "../lib/server/database";
import { CLOCK_TICKS_PER_SECOND } from "../server/metrics/host-reader";
import { parseProcStat } from "../server/metrics/proc-text";
import { MetricsStore } from "../server/metrics/metrics-store";
import type { GuestRow } from "../server/metrics/rollup";
import { bundledArgv } from "../server/bundle";
import { TestDaemon, freePort, waitFor } from "../server/test-support/daemon-harness";

const counts = (process.argv[2] ?? "0,100,500").split(",").map(Number);
const DEADLINE_MS = 20 * 60_000;
const RUNS = 5;
const TICK_MS = 5_000;
const WINDOW_MS = 60 * 60_000;
const PAGES = ["/", "/consolidation"] as const;
/** Each guest's boots: a page that read them all would grow with a host's age (it did: stop 47). */
const BOOTS = 60;

const daemon = new TestDaemon({ CORRAL_METRICS_INTERVAL_SECONDS: "0", CORRAL_LOG_LEVEL: "warn" });
let web: ChildProcess | null = null;
let db: Db | null = null;
let cleaning: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (web && web.exitCode === null && !web.signalCode) {
      const gone = new Promise((r) => web!.once("exit", r));
      web.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      if (web.exitCode === null) web.kill("SIGKILL");
    }
    await db?.$disconnect();
    await daemon.cleanup();
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.log(`\n${signal}: cleaning up…`);
    void cleanup().then(() => process.exit(130));
  });
}
const deadline = setTimeout(() => {
  console.error(`bench:list took longer than ${DEADLINE_MS / 60_000} minutes; stopping.`);
  void cleanup().then(() => process.exit(1));
}, DEADLINE_MS);

async function startWeb(): Promise<string> {
  const port = await freePort();
  let log = "";
  // CORRAL_BENCH_PROFILE=dir: the web server writes a V8 CPU profile there when it exits.
  const profile = process.env.CORRAL_BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.CORRAL_BENCH_PROFILE}`]
    : [];
  web = spawn(process.execPath, [...profile, ...(await bundledArgv(process.cwd(), "web"))], {
    env: {
      ...process.env,
      CORRAL_DATA_DIR: daemon.dataDir,
      CORRAL_DAEMON_PORT: String(daemon.port),
      CORRAL_WEB_PORT: String(port),
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  web.stdout!.on("data", (d) => (log += d));
  web.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "the web server",
    async () => {
      if (web!.exitCode !== null) throw new Error(`web exited (${web!.exitCode}):\n${log}`);
      return fetch(`${url}/login`).then(
        (r) => r.ok,
        () => false,
      );
    },
    120_000,
  );
  return url;
}

/** Boots and an hour of samples for every guest, ending now (re-laid before each measure). */
async function seedHistory(ids: string[]): Promise<void> {
  const d = db!;
  const now = Math.floor(Date.now() / TICK_MS) * TICK_MS;
  await d.guestSample.deleteMany({});
  await d.hostSample.deleteMany({});
  // The host the consolidation page shows (the daemon's, if one registered): samples are read per host.
  const hostId = (await d.host.findFirst({ orderBy: { name: "asc" }, select: { id: true } }))?.id ?? null;
  const ticks = Array.from({ length: WINDOW_MS / TICK_MS }, (_, i) => new Date(now - WINDOW_MS + (i + 1) * TICK_MS));
  await d.hostSample.createMany({
    data: ticks.map((at) => ({
      hostId,
      period: 0,
      at,
      samples: 1,
      cpuCores: 2,
      cpuPct: 30,
      cpuPctMax: 30,
      memTotalKiB: 24e6,
      memAvailableKiB: 20e6,
      diskFreeMiB: 1e5,
      ramBackingFreeMiB: 1e4,
      load1: 0.5,
      guestsRunning: ids.length,
      guestAllocatedMiB: ids.length * 64,
      guestCpuPct: ids.length * 0.1,
      guestHostMemKiB: ids.length * 12e3,
    })),
  });
  for (let i = 0; i < ids.length; i += 50) {
    const data: GuestRow[] = ids.slice(i, i + 50).flatMap((guestId, k) =>
      ticks.map((at, t) => ({
        guestId,
        hostId,
        period: 0,
        at,
        samples: 1,
        cpuPct: ((k + t) % 7) / 3, // a ratio of two counts, as sampled: most are full doubles
        cpuPctMax: 2,
        hostMemKiB: 12_000 + t * 10,
        guestSamples: 1,
        guestMemTotalKiB: 50_000,
        guestMemUsedKiB: 4_000,
        guestLoad1: 0,
      })),
    );
    await d.guestSample.createMany({ data });
  }
  // Every closed minute rolled up by the daemon's own compaction (the current one is not).
  if (hostId) await new MetricsStore(d, 30, hostId).compact(now);
}

async function addGuests(to: number, have: string[]): Promise<void> {
  const started = Date.now();
  while (have.length < to) {
    const g = await daemon.createGuest(`bench-${String(have.length).padStart(4, "0")}`);
    // A boot a day for BOOTS days, the newest an hour ago.
    const t = Date.now() - 3_600_000 - BOOTS * 86_400_000;
    await db!.boot.createMany({
      data: Array.from({ length: BOOTS }, (_, i) => i + 1).map((number) => ({
        guestId: g.id,
        number,
        startedAt: new Date(t + number * 86_400_000),
        readyAt: new Date(t + number * 86_400_000 + 1_200),
        endedAt: new Date(t + number * 86_400_000 + 30_000),
        outcome: "powered-off",
        logBytes: 6_500,
      })),
    });
    have.push(g.id);
    if (have.length % 50 === 0)
      process.stdout.write(`  ${have.length} guests (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
}

/** The answer's time, and its size (the HTML with the page's flight data inlined). */
async function timePage(url: string, cookie: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  // CORRAL_BENCH_SAVE=dir: each page's last answer is kept there, to see what its bytes are.
  if (process.env.CORRAL_BENCH_SAVE)
    fs.writeFileSync(
      path.join(process.env.CORRAL_BENCH_SAVE, `${new URL(url).pathname.slice(1) || "list"}.html`),
      body,
    );
  return { ms, bytes: Buffer.byteLength(body) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const webCpuMs = () =>
  (parseProcStat(fs.readFileSync(`/proc/${web!.pid}/stat`, "latin1"))!.ticks * 1000) / CLOCK_TICKS_PER_SECOND;

async function main() {
  if (!fs.existsSync(path.join(".next", "BUILD_ID")))
    throw new Error("Run `npx next build` first: the bench measures the production server.");
  console.log("starting a daemon and a web server of the bench's own…");
  await daemon.start();
  db = openDatabase(`file:${path.join(daemon.dataDir, "corral.db")}`);
  const base = await startWeb();
  const cookie = await daemon.admin();
  const ids: string[] = [];
  const results: Array<{ guests: number; ms: Record<string, number>; cpu: Record<string, number> }> = [];
  for (const n of counts) {
    console.log(`${n} guests: creating…`);
    await addGuests(n, ids);
    await seedHistory(ids);
    const ms: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    for (const page of PAGES) {
      // Warm-up. Hazard: seeding an hour of samples outlasts the server's keep-alive (5 s), and
      // the first request may go out on the connection it just closed (EPIPE): sent again.
      await timePage(base + page, cookie).catch(() => timePage(base + page, cookie));
      const runs: number[] = [];
      let bytes = 0;
      const cpu0 = webCpuMs();
      for (let i = 0; i < RUNS; i++) {
        const answer = await timePage(base + page, cookie);
        runs.push(answer.ms);
        bytes = answer.bytes;
      }
      cpu[page] = (webCpuMs() - cpu0) / RUNS;
      ms[page] = median(runs);
      const each = runs.map((r) => r.toFixed(0)).join(" ");
      console.log(
        `  ${page.padEnd(15)} ${each} ms → median ${ms[page].toFixed(1)} ms; web CPU ${cpu[page].toFixed(0)} ms each; ${(bytes / 1024).toFixed(0)} KB`,
      );
    }
    results.push({ guests: n, ms, cpu });
  }
  const zero = results.find((r) => r.guests === 0) ?? results[0];
  for (const [what, key] of [
    [`server answer, median of ${RUNS}`, "ms"],
    ["web server CPU per answer", "cpu"],
  ] as const) {
    console.log(`\n${what} (ratio to ${zero.guests} guests, same run):`);
    console.log(`guests  ${PAGES.map((p) => p.padEnd(24)).join("")}`);
    for (const r of results) {
      const cells = PAGES.map((p) =>
        `${r[key][p].toFixed(1)} ms (${(r[key][p] / zero[key][p]).toFixed(2)}×)`.padEnd(24),
      );
      console.log(`${String(r.guests).padEnd(8)}${cells.join("")}`);
    }
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    clearTimeout(deadline);
    await cleanup();
  });
