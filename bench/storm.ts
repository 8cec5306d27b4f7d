// A boot storm: N guests started at once, through Corral versus N raw kernels, in one run.
//   raw:    N linux.uml on ptys spawned at once by this process, until every console shows
//           its shell prompt (no network, no daemon: the physical limit);
//   corral: N guests created beforehand (not timed), then N POST /start sent at once, until
//           the daemon reports every guest running. Each answer's latency is recorded.
// CPU is the time of every process below the bench's children (the kernels and their
// helpers; the daemon, the keeper and all they spawn), sampled from /proc, per boot.
// Usage: npm run bench:storm [-- N [MiB [network]]]   (defaults 50, 48, user)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pty from "node-pty";
import { ConsoleWatcher } from "../server/boots/console-watcher";
import { TestDaemon } from "../server/test-support/daemon-harness";
import type { GuestView } from "../lib/shared/protocol";
import { killGroup } from "../server/uml/kernel-process";
import { ProcessTreeCpu } from "./process-cpu";
import { spawnRawKernel } from "./raw-kernel-pty";

const count = Number(process.argv[2] ?? 50);
const memoryMiB = Number(process.argv[3] ?? 48);
const network = process.argv[4] ?? "user";
/** Only catches a hang: a storm this machine cannot finish in this long is not a result. */
const DEADLINE_MS = 120_000 + count * 6_000;

const cleanups: Array<() => Promise<void> | void> = [];
async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => {});
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });

function progress(label: string, done: number, t0: number): void {
  process.stderr.write(`\r  ${label}: ${done}/${count} after ${((performance.now() - t0) / 1000).toFixed(1)} s   `);
}

function deadline<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

interface Storm {
  seconds: number;
  cpuSeconds: number;
  byName: Array<[string, number]>;
}

async function rawStorm(image: string): Promise<Storm> {
  const kernels: Array<{ term: pty.IPty; dir: string }> = [];
  const killKernels = async () => {
    const exits = kernels.map((k) => new Promise((r) => k.term.onExit(r)));
    for (const k of kernels) killGroup(k.term.pid, "SIGKILL");
    await Promise.all(exits);
    for (const k of kernels) fs.rmSync(k.dir, { recursive: true, force: true });
  };
  cleanups.push(killKernels);
  const cpu = new ProcessTreeCpu(() => kernels.map((k) => k.term.pid));
  cpu.start();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  const prompts = Array.from({ length: count }, (_, i) => {
    const k = spawnRawKernel(image, `storm${i}`, memoryMiB);
    kernels.push(k);
    const watcher = new ConsoleWatcher();
    return new Promise<void>((resolve) => {
      const sub = k.term.onData((d) => {
        if (!watcher.scan(d).some((s) => s.kind === "prompt")) return;
        sub.dispose();
        progress("raw", ++done, t0);
        resolve();
      });
    });
  });
  await deadline("the raw storm", Promise.all(prompts));
  const seconds = (performance.now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  // The reader (this process) is part of the raw baseline: it is what reads the consoles.
  const reader = (self.user + self.system) / 1e6;
  const cpuSeconds = cpu.stop() + reader;
  process.stderr.write("\n");
  cleanups.splice(cleanups.indexOf(killKernels), 1);
  await killKernels();
  return { seconds, cpuSeconds, byName: [["reader", reader], ...cpu.byName()] };
}

async function corralStorm(daemon: TestDaemon): Promise<Storm & { answers: number[] }> {
  const guests: GuestView[] = [];
  for (let i = 0; i < count; i++) {
    guests.push(await daemon.createGuest(`storm-${i}`, { memoryMiB, network }));
    if (i % 10 === 9) process.stderr.write(`\r  created ${i + 1}/${count} guests   `);
  }
  process.stderr.write("\n");
  const s = await daemon.socket();
  await s.emitWithAck("guests:watch");
  const pending = new Set(guests.map((g) => g.id));
  const t0 = performance.now();
  const allRunning = new Promise<void>((resolve, reject) => {
    s.on("guest:state", (e: { id: string; state: string }) => {
      if (e.state === "crashed" && pending.has(e.id)) reject(new Error(`guest ${e.id} crashed during the storm`));
      if (e.state !== "running" || !pending.delete(e.id)) return;
      progress("corral", count - pending.size, t0);
      if (pending.size === 0) resolve();
    });
  });
  const roots = () => [daemon.proc!.pid!, daemon.keeperPid() ?? 0].filter(Boolean);
  const cpu = new ProcessTreeCpu(roots);
  cpu.start();
  const answers = await Promise.all(
    guests.map(async (g) => {
      const sent = performance.now();
      const res = await daemon.api("POST", `/api/guests/${g.id}/start`);
      if (res.status !== 202) throw new Error(`start ${g.name}: ${res.status} ${JSON.stringify(res.body)}`);
      return performance.now() - sent;
    }),
  );
  await deadline("the Corral storm", allRunning);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpu.stop();
  process.stderr.write("\n");
  const [daemonPid, keeperPid] = roots();
  const byName: Array<[string, number]> = [
    ["daemon", cpu.secondsOf(daemonPid)],
    ["keeper", cpu.secondsOf(keeperPid)],
    ...cpu.byName().filter(([name]) => name !== "node"),
  ];
  return { seconds, cpuSeconds, answers, byName };
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

async function main() {
  console.log(`boot storm: ${count} guests of ${memoryMiB} MiB, network ${network}, ${os.cpus().length} cores`);
  const daemon = new TestDaemon();
  cleanups.push(() => daemon.cleanup());
  await daemon.start();
  const image = path.join(daemon.dataDir, "images/busybox.img");

  const raw = await rawStorm(image);
  const corral = await corralStorm(daemon);
  await cleanUp();

  const perBoot = (s: Storm) => s.cpuSeconds / count;
  console.log(`                      until every guest is up   CPU per boot`);
  console.log(`  raw linux.uml       ${raw.seconds.toFixed(1).padStart(8)} s              ${perBoot(raw).toFixed(2)} core-s`);
  console.log(`  Corral              ${corral.seconds.toFixed(1).padStart(8)} s              ${perBoot(corral).toFixed(2)} core-s`);
  console.log(`  ratio Corral/raw    ${(corral.seconds / raw.seconds).toFixed(2).padStart(8)}                ${(perBoot(corral) / perBoot(raw)).toFixed(2)}`);
  const top = (s: Storm) =>
    s.byName
      .slice(0, 6)
      .map(([name, sec]) => `${name} ${(sec / count).toFixed(3)}`)
      .join(", ");
  console.log(`  CPU per boot by process, raw:    ${top(raw)}`);
  console.log(`  CPU per boot by process, Corral: ${top(corral)}`);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(
    `  start answered: p50 ${ms(quantile(corral.answers, 0.5))}, p99 ${ms(quantile(corral.answers, 0.99))}, max ${ms(Math.max(...corral.answers))}`,
  );
}

main().catch(async (err) => {
  console.error(err);
  await cleanUp();
  process.exit(1);
});
