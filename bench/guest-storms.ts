// Many guests started at once, through Corral and as raw kernels, for bench:storm and
// bench:density. Everything started is registered with `cleanups` and ended on SIGINT,
// SIGTERM, an error, or a storm that outlives its deadline.
import fs from "node:fs";
import type pty from "node-pty";
import { ConsoleWatcher } from "../server/boots/console-watcher";
import type { EventLoopDelayView, GuestView } from "../lib/shared/protocol";
import type { TestDaemon } from "../server/test-support/daemon-harness";
import { killGroup } from "../server/uml/kernel-process";
import { hostBusySeconds, ProcessTreeCpu } from "./process-cpu";
import { spawnRawKernel } from "./raw-kernel-pty";

const cleanups: Array<() => Promise<void> | void> = [];
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}
let cleaning: Promise<void> = Promise.resolve();
/** Ends everything registered so far, newest first; a call while one runs waits for it too. */
export function cleanUp(): Promise<void> {
  const fns = cleanups.splice(0).reverse();
  cleaning = cleaning.then(async () => {
    for (const fn of fns) await Promise.resolve(fn()).catch(() => {});
  });
  return cleaning;
}
// Cleaning up must outlive what interrupted it: a second signal, or the pipe to a terminal
// or to `tail` closing (writing to it then fails), would otherwise leave the guests running.
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
    process.stderr.write(`\n${signal}: cleaning up\n`);
    void cleanUp().then(() => process.exit(130));
  });

function progress(label: string, done: number, count: number, t0: number): void {
  process.stderr.write(`\r  ${label}: ${done}/${count} after ${((performance.now() - t0) / 1000).toFixed(1)} s   `);
}

/** Only catches a hang: a storm this machine cannot finish in this long is not a result. */
function deadline<T>(what: string, count: number, p: Promise<T>): Promise<T> {
  const ms = 120_000 + count * 6_000;
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export interface Storm {
  seconds: number;
  cpuSeconds: number;
  /** The whole host's CPU meanwhile (`hostBusySeconds`). */
  hostCpuSeconds: number;
  byName: Array<[string, number]>;
}

export interface RawGuests extends Storm {
  pids: number[];
  /** Kills every kernel and removes their folders. */
  end: () => Promise<void>;
}

/** `count` raw kernels on ptys, spawned at once; resolves when every console shows its prompt. */
export async function rawStorm(image: string, count: number, memoryMiB: number): Promise<RawGuests> {
  const kernels: Array<{ term: pty.IPty; dir: string }> = [];
  const exits = new Map<number, Promise<unknown>>();
  let ended: Promise<void> | null = null;
  // Once, however often it is called (by the bench, then by the cleanup).
  const end = () =>
    (ended ??= (async () => {
      for (const k of kernels) killGroup(k.term.pid, "SIGKILL");
      await Promise.all(exits.values());
      for (const k of kernels) fs.rmSync(k.dir, { recursive: true, force: true });
    })());
  onCleanup(end);
  const cpu = new ProcessTreeCpu(() => kernels.map((k) => k.term.pid));
  cpu.start();
  const host0 = hostBusySeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  const prompts = Array.from({ length: count }, (_, i) => {
    const k = spawnRawKernel(image, `storm${i}`, memoryMiB);
    kernels.push(k);
    exits.set(k.term.pid, new Promise((r) => k.term.onExit(r)));
    const watcher = new ConsoleWatcher();
    return new Promise<void>((resolve) => {
      const sub = k.term.onData((d) => {
        if (!watcher.scan(d).some((s) => s.kind === "prompt")) return;
        sub.dispose();
        progress("raw", ++done, count, t0);
        resolve();
      });
    });
  });
  await deadline("the raw storm", count, Promise.all(prompts));
  const seconds = (performance.now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  // The reader (this process) is part of the raw baseline: it is what reads the consoles.
  const reader = (self.user + self.system) / 1e6;
  const cpuSeconds = cpu.stop() + reader;
  const hostCpuSeconds = hostBusySeconds() - host0;
  process.stderr.write("\n");
  return {
    seconds,
    cpuSeconds,
    hostCpuSeconds,
    byName: [["reader", reader], ...cpu.byName()],
    pids: kernels.map((k) => k.term.pid),
    end,
  };
}

/** The daemon's and the keeper's pids: the roots of everything Corral runs. */
export const corralRoots = (daemon: TestDaemon) => () => [daemon.proc!.pid!, daemon.keeperPid() ?? 0].filter(Boolean);

/** A start amid a storm: one guest, started alone, then forced off while still queued. */
export interface Prober {
  guest: GuestView;
  /** How many starts to time, at most, and how far apart. */
  count: number;
  gapMs: number;
}

/**
 * `count` guests created (not timed), then started with one POST each (startStorm);
 * resolves when the daemon reports every one running, with each POST's answer time. With
 * `probes`, one more guest is created to time starts amid the storm (see probeStarts).
 */
export async function corralStorm(
  daemon: TestDaemon,
  count: number,
  guest: { memoryMiB: number; network: string; kind?: string },
  probes = 0,
): Promise<
  Storm & {
    answers: number[];
    probeAnswers: number[];
    loopDelay: EventLoopDelayView;
    scheduled: Scheduled;
    guests: GuestView[];
    prober: Prober | null;
  }
> {
  const guests: GuestView[] = [];
  for (let i = 0; i < count; i++) {
    guests.push(await daemon.createGuest(`${guest.kind ?? "storm"}-${i}`, guest));
    if (i % 10 === 9) process.stderr.write(`\r  created ${i + 1}/${count} guests   `);
  }
  process.stderr.write("\n");
  const prober = probes
    ? {
        guest: await daemon.createGuest(`${guest.kind ?? "storm"}-probe`, guest),
        count: probes,
        gapMs: probeGap(count),
      }
    : null;
  return { ...(await startStorm(daemon, guests, prober)), guests, prober };
}

/** Probes spread over a storm's length, which grows with its size (about 0.5 s a guest here). */
const probeGap = (count: number) => Math.max(100, count * 10);

/** Forces every guest off at once (one bulk request) and waits until all are stopped. */
export async function forceOffAll(daemon: TestDaemon, guests: GuestView[]): Promise<void> {
  const res = await daemon.api("POST", "/api/guests/bulk", { action: "force-off", ids: guests.map((g) => g.id) });
  if (res.status !== 200) throw new Error(`bulk force off: ${res.status} ${JSON.stringify(res.body)}`);
  await deadline(
    "forcing the guests off",
    guests.length,
    (async () => {
      for (const g of guests) await daemon.waitForState(g.id, "stopped");
    })(),
  );
}

/**
 * Starts `guests` with one POST each, all at once; resolves when the daemon reports every one
 * running. Once those POSTs are answered, the prober's guest is started alone, again and
 * again while the others boot (probeStarts): how long one start waits while many others are
 * starting, apart from the burst's own queue of requests.
 */
export async function startStorm(
  daemon: TestDaemon,
  guests: GuestView[],
  prober: Prober | null = null,
): Promise<Storm & { answers: number[]; probeAnswers: number[]; loopDelay: EventLoopDelayView; scheduled: Scheduled }> {
  const count = guests.length;
  const s = await daemon.socket();
  await s.emitWithAck("guests:watch");
  const pending = new Set(guests.map((g) => g.id));
  const t0 = performance.now();
  let stormOver = false;
  const allRunning = new Promise<void>((resolve, reject) => {
    s.on("guest:state", (e: { id: string; state: string }) => {
      if (e.state === "crashed" && pending.has(e.id)) reject(new Error(`guest ${e.id} crashed during the storm`));
      if (e.state !== "running" || !pending.delete(e.id)) return;
      progress("corral", count - pending.size, count, t0);
      if (pending.size === 0) resolve();
    });
  }).finally(() => (stormOver = true));
  const roots = corralRoots(daemon);
  const cpu = new ProcessTreeCpu(roots);
  cpu.start();
  const host0 = hostBusySeconds();
  const answers = await Promise.all(guests.map((g) => timedStart(daemon, g)));
  // The daemon's event-loop delay from here on: what any request amid the storm could wait.
  await daemon.api("POST", "/api/host/event-loop/reset");
  const sched0 = schedTimes(daemon.proc!.pid!);
  const probeAnswers = prober ? await probeStarts(daemon, prober, () => stormOver) : [];
  await deadline("the Corral storm", count, allRunning);
  const loopDelay = (await daemon.api<EventLoopDelayView>("GET", "/api/host/event-loop")).body;
  const sched1 = schedTimes(daemon.proc!.pid!);
  const scheduled = {
    runS: sched1.runS - sched0.runS,
    waitS: sched1.waitS - sched0.waitS,
    seconds: sched1.at - sched0.at,
  };
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpu.stop();
  const hostCpuSeconds = hostBusySeconds() - host0;
  process.stderr.write("\n");
  const [daemonPid, keeperPid] = roots();
  const byName: Array<[string, number]> = [
    ["daemon", cpu.secondsOf(daemonPid)],
    ["keeper", cpu.secondsOf(keeperPid)],
    ...cpu.byName().filter(([name]) => name !== "node"),
  ];
  s.disconnect();
  return { seconds, cpuSeconds, hostCpuSeconds, answers, probeAnswers, byName, loopDelay, scheduled };
}

/** The daemon's main thread amid a storm: seconds on a CPU and runnable but waiting for one, of `seconds`. */
export interface Scheduled {
  runS: number;
  waitS: number;
  seconds: number;
}

// /proc/<pid>/task/<pid>/schedstat: nanoseconds on a CPU, nanoseconds waiting on a run queue, timeslices.
function schedTimes(pid: number): { runS: number; waitS: number; at: number } {
  const [run, wait] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ").map(Number);
  return { runS: run / 1e9, waitS: wait / 1e9, at: performance.now() / 1000 };
}

async function timedStart(daemon: TestDaemon, g: GuestView): Promise<number> {
  const sent = performance.now();
  const res = await daemon.api("POST", `/api/guests/${g.id}/start`);
  if (res.status !== 202) throw new Error(`start ${g.name}: ${res.status} ${JSON.stringify(res.body)}`);
  return performance.now() - sent;
}

/**
 * Times starts of the prober's guest, `gapMs` apart, until the storm is over or `count` are
 * timed. Each is forced off once answered: queued behind the storm, it leaves the queue
 * without booting (a probe admitted meanwhile is killed and waited for), so the probes add
 * a few requests to the storm, not boots.
 */
async function probeStarts(daemon: TestDaemon, prober: Prober, stormOver: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (times.length < prober.count && !stormOver()) {
    times.push(await timedStart(daemon, prober.guest));
    const off = await daemon.api<GuestView>("POST", `/api/guests/${prober.guest.id}/force-off`);
    if (off.status !== 202) throw new Error(`force off the probe: ${off.status} ${JSON.stringify(off.body)}`);
    if (off.body.state !== "stopped") await daemon.waitForState(prober.guest.id, "stopped");
    await new Promise((r) => setTimeout(r, prober.gapMs));
  }
  return times;
}
