// What bench/console.ts runs on: a deadline for the whole run, progress on stderr, the raw
// kernel's reader, CPU from /proc, and a cleanup that stops everything the bench started
// however it ends (done, failed, timed out, SIGINT, SIGTERM).
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestDaemon, ConsoleTap, TestSocket } from "../server/test-support/daemon-harness";
import { killGroup } from "../server/uml/kernel-process";

const started = performance.now();
/** node's flags for a CPU profile written at exit, when CORRAL_BENCH_PROFILE_DIR asks for one. */
const profiled = () => {
  const dir = process.env.CORRAL_BENCH_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
};
const bench = `bench:${path.basename(process.argv[1] ?? "console", ".ts")}`;
/**
 * A console bench's arguments (-- LINES LINE_BYTES ECHOES; defaults 8000 1 200) and settings
 * (CORRAL_BENCH_ROUNDS, CORRAL_BENCH_TIMEOUT_S): whole numbers from 1 up, or it exits with usage.
 * CORRAL_BENCH_ECHO_GAP_MS (0–1000, default 50) paces the keys, raw's and Corral's alike: a key
 * sent the moment the last echo came finds raw's kernel still awake, while Corral's, a few
 * hops slower, has gone idle and pays the wake-up (~1.6 ms here) — people type slower than either.
 */
export function consoleBenchArgs(bench: string) {
  const [lines, lineBytes, echoes] = [2, 3, 4].map((i, k) => Number(process.argv[i] ?? [8000, 1, 200][k]));
  const rounds = Number(process.env.CORRAL_BENCH_ROUNDS ?? 3);
  const budgetS = Number(process.env.CORRAL_BENCH_TIMEOUT_S ?? 600);
  for (const [name, v] of Object.entries({ lines, lineBytes, echoes, rounds, budgetS })) {
    if (!Number.isInteger(v) || v < 1 || v > 10_000_000) {
      console.error(`${bench}: ${name} must be a whole number from 1 up; usage: -- LINES LINE_BYTES ECHOES`);
      process.exit(2);
    }
  }
  const echoGapMs = Number(process.env.CORRAL_BENCH_ECHO_GAP_MS ?? 50);
  if (!Number.isInteger(echoGapMs) || echoGapMs < 0 || echoGapMs > 1000) {
    console.error(`${bench}: CORRAL_BENCH_ECHO_GAP_MS must be a whole number from 0 to 1000`);
    process.exit(2);
  }
  return { lines, lineBytes, echoes, echoGapMs, ROUNDS: rounds, BUDGET_S: budgetS };
}

export const progress = (what: string) =>
  process.stderr.write(`[${bench} ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${what}\n`);

export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
export const range = (xs: number[], f: (x: number) => string) =>
  xs.length ? `${f(Math.min(...xs))}–${f(Math.max(...xs))}` : "n/a";

/** utime + stime of a process, in seconds (clock ticks are 1/100 s on Linux). */
export function cpuSeconds(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Everything the bench started, stopped once, whichever way the run ends. */
export class Rig {
  daemon: TestDaemon | null = null;
  /** What else the bench started (e.g. a fleet of daemons): stopped with the rest, in any case. */
  cleanupAlso: (() => Promise<void>) | null = null;
  private raw: ChildProcess | null = null;
  private readonly others: ChildProcess[] = [];
  private rawKernelPid = 0;
  private cleaning: Promise<void> | null = null;
  readonly deadline: number;

  constructor(budgetSeconds: number) {
    this.deadline = Date.now() + budgetSeconds * 1000;
    const stop = (signal: NodeJS.Signals, code: number) => () => {
      progress(`${signal}: stopping everything the bench started`);
      void this.cleanup().finally(() => process.exit(code));
    };
    process.once("SIGINT", stop("SIGINT", 130));
    process.once("SIGTERM", stop("SIGTERM", 143));
  }

  /** `p`, or an error once the run's deadline passes. */
  within<T>(what: string, p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the bench's time budget ran out while waiting for ${what}`)),
        Math.max(0, this.deadline - Date.now()),
      );
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  }

  /** linux.uml on a plain pty, read by a tiny Node process of its own (bench/raw-reader.ts). */
  async rawKernel(image: string) {
    const child = fork(path.resolve("bench/raw-reader.ts"), [image], { execArgv: ["--import", "tsx"] });
    this.raw = child;
    const next = this.replies(child, "the raw reader");
    const ready = await next<{ kernelPid: number }>("the raw kernel's prompt");
    this.rawKernelPid = ready.kernelPid;
    return {
      stream: async (command: string, marker: string) => {
        const reply = next<{ bytes: number; seconds: number; cpu: number; nudges: number }>("the raw kernel's stream");
        child.send({ cmd: "stream", command, marker });
        return reply;
      },
      echo: async (n: number, gapMs: number) => {
        const reply = next<{ latency: number[]; nudged: number }>("the raw kernel's echoes");
        child.send({ cmd: "echo", n, gapMs });
        return reply;
      },
    };
  }

  /**
   * Viewers of `guestId` in processes of their own (bench/console-crowd.ts), `names` dealt out
   * among `procs` of them. `arm` resolves once all watch for `marker`; its `finished`, once all
   * saw it: each viewer's bytes and when (ms since the epoch), resyncs, the processes' CPU.
   */
  async crowd(procs: number, attach: { url: string; credential: string; guestId: string; names: string[] }) {
    const children = Array.from({ length: procs }, () =>
      fork(path.resolve("bench/console-crowd.ts"), [], { execArgv: ["--import", "tsx", ...profiled()] }),
    );
    this.others.push(...children);
    const nexts = children.map((c) => this.replies(c, "a viewers' process"));
    type Done = { done: Array<{ bytes: number; at: number; messages: number }>; resyncs: number; cpu: number };
    const all = <T>(what: string, send: (k: number) => unknown) =>
      Promise.all(children.map((c, k) => (c.send(send(k) as object), nexts[k]<T>(what))));
    await all("the viewers to attach", (k) => ({
      cmd: "attach",
      ...attach,
      names: attach.names.filter((_, i) => i % procs === k),
    }));
    return {
      arm: async (marker: string) => {
        await all("the viewers to watch", () => ({ cmd: "arm", marker }));
        const done = Promise.all(nexts.map((next) => next<Done>("the viewers' stream")));
        // Wrapped: an async function returning the promise itself would wait for it.
        return {
          finished: done.then((ds) => ({
            done: ds.flatMap((d) => d.done),
            resyncs: ds.reduce((n, d) => n + d.resyncs, 0),
            cpu: ds.reduce((n, d) => n + d.cpu, 0),
          })),
        };
      },
    };
  }

  /** The messages of a forked child, one per call in order; rejects if it exits or says `error`. */
  private replies(child: ChildProcess, who: string) {
    const queue: unknown[] = [];
    let waiting: ((m: unknown) => void) | null = null;
    child.on("message", (m) => {
      if (!waiting) return void queue.push(m);
      const w = waiting;
      waiting = null;
      w(m);
    });
    return <T>(what: string) =>
      this.within(
        what,
        new Promise<T>((resolve, reject) => {
          const gone = () => reject(new Error(`${who} exited while waiting for ${what}`));
          const take = (m: unknown) => {
            child.off("exit", gone);
            const error = (m as { error?: string }).error;
            if (error) reject(new Error(`${who}: ${error}`));
            else resolve(m as T);
          };
          if (queue.length) return take(queue.shift());
          child.once("exit", gone);
          waiting = take;
        }),
      );
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const c of this.others) if (c.exitCode === null) c.kill("SIGTERM");
      if (this.raw && this.raw.exitCode === null) this.raw.kill("SIGTERM");
      if (this.rawKernelPid) killGroup(this.rawKernelPid, "SIGKILL");
      await this.cleanupAlso?.();
      const daemon = this.daemon;
      if (!daemon) return;
      const stopped = daemon.cleanup().then(() => true);
      const gaveUp = new Promise<boolean>((r) => setTimeout(() => r(false), 30_000).unref());
      if (await Promise.race([stopped, gaveUp])) return;
      progress("the daemon did not stop in 30 s: killing it, the keeper and the kernels");
      daemon.proc?.kill("SIGKILL");
      const keeper = daemon.keeperPid();
      if (keeper) process.kill(keeper, "SIGKILL");
      for (const { pid } of daemon.kernels()) killGroup(pid, "SIGKILL");
    })();
    return this.cleaning;
  }
}

/** Resolves when `cond` holds, checked on each console:data event (after the tap's own listener). */
export function outputWhere(s: TestSocket, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (cond()) return resolve();
    const check = () => {
      if (!cond()) return;
      s.off("console:data", check);
      resolve();
    };
    s.on("console:data", check);
  });
}

/**
 * Whether `marker` appeared in `tap`'s output past `from`. Looks only in the tap's tail, so it
 * costs the same however long the output grew; checked on every message, it sees a marker
 * unless more than a tail's worth follows it in the same message (a prompt follows, no more).
 */
export function markerSeen(tap: ConsoleTap, marker: string, from: number) {
  return () => {
    const at = tap.tail.lastIndexOf(marker);
    return at >= 0 && tap.output.length - tap.tail.length + at >= from;
  };
}

/** Runs a bench's `main`: exits 0 when it is done, 1 with its error said. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
