// The console through Corral versus the physical limit, in one run:
//   raw:    linux.uml on a plain pty read by a tiny Node reader (this process);
//   corral: the same guest command through the keeper and the daemon to socket.io clients.
// Prints throughput (1 viewer, each of 10 viewers), keystroke echo latency p50/p99, and
// the daemon's CPU and memory per attached viewer, each as a ratio to raw where it has one.
// Usage: npm run bench:console [-- lines echoes]   (defaults 100000 lines of "y", 200 keys)
import fs from "node:fs";
import path from "node:path";
import { fork } from "node:child_process";
import { TestDaemon, type ConsoleTap, type TestSocket } from "../server/test-support/daemon-harness";

const lines = Number(process.argv[2] ?? 100_000);
const echoes = Number(process.argv[3] ?? 200);
const ROUNDS = 3;
const rawIdle: number[] = [];
const rawAwake: number[] = [];
const STREAM = `yes | head -n ${lines}; echo DONE-$((1+1))\r`;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/**
 * Whether `marker` appeared in `text` since the last call — scanning only what is new, as
 * scanning all output on every event would slow the reader (and so the guest) down.
 */
function markerWatch(marker: string, from = 0) {
  let scanned = from;
  return (text: string) => {
    const found = text.indexOf(marker, Math.max(from, scanned - marker.length)) >= 0;
    scanned = text.length;
    return found;
  };
}

/** The physical limit: linux.uml on a plain pty, read by a tiny Node process of its own. */
async function rawKernel(image: string) {
  const child = fork(path.resolve("bench/raw-reader.ts"), [image, STREAM], { execArgv: ["--import", "tsx"] });
  const next = <T>() => new Promise<T>((resolve) => child.once("message", (m) => resolve(m as T)));
  await next<{ ready: true }>();
  return {
    /**
     * On these VMs an idle vCPU halts and wakes slowly, and a UML console is a chain of
     * wake-ups: raw is measured both as is and with a spinning process keeping a core
     * awake (Corral's own work does that for its guests); the faster is the limit.
     */
    async stream(): Promise<number> {
      const rates: number[] = [];
      for (const awake of [false, true]) {
        const spinner = awake ? fork("-e", ["for(;;){}"], { execArgv: [] }) : null;
        const reply = next<{ rate: number }>();
        child.send({ cmd: "stream" });
        rates.push((await reply).rate);
        spinner?.kill("SIGKILL");
      }
      rawIdle.push(rates[0]);
      rawAwake.push(rates[1]);
      return Math.max(...rates);
    },
    async echo(): Promise<number[]> {
      const reply = next<{ latency: number[] }>();
      child.send({ cmd: "echo", n: echoes });
      return (await reply).latency;
    },
    async close(): Promise<void> {
      const gone = new Promise((r) => child.once("exit", r));
      child.send({ cmd: "exit" });
      await gone;
    },
  };
}

/** utime + stime of a process, in seconds (clock ticks are 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}
const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/** Resolves when the tap's output satisfies `cond`, checked on each console:data event. */
function outputWhere(s: TestSocket, tap: ConsoleTap, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (cond()) return resolve();
    const check = () => {
      // The tap's own listener ran first (registered earlier): its output is current.
      if (!cond()) return;
      s.off("console:data", check);
      resolve();
    };
    s.on("console:data", check);
  });
}

async function throughput(taps: Array<{ s: TestSocket; tap: ConsoleTap }>) {
  const before = taps.map(({ tap }) => tap.output.length);
  const done: number[] = [];
  const finished = taps.map(({ s, tap }, i) => {
    const seen = markerWatch("\r\nDONE-2\r\n", before[i]);
    return outputWhere(s, tap, () => seen(tap.output)).then(() => {
      done[i] = (tap.output.length - before[i]) / ((performance.now() - t0) / 1000);
    });
  });
  const t0 = performance.now();
  await taps[0].tap.type(STREAM);
  await Promise.all(finished);
  return done;
}

async function main() {
  const daemon = new TestDaemon();
  await daemon.start();
  try {
    const image = path.join(daemon.dataDir, "images/busybox.img");
    const raw = await rawKernel(image);
    const g = await daemon.createGuest("bench");
    await daemon.startGuest(g.id);
    const daemonPid = daemon.proc!.pid!;
    const keeperPid = daemon.keeperPid()!;
    const both = () => cpuSeconds(daemonPid) + cpuSeconds(keeperPid);
    const ws = await daemon.socket();
    const writer = { s: ws, tap: await daemon.attachConsole(ws, g.id, null, { name: "writer" }) };
    await new Promise((r) => setTimeout(r, 1000));

    // Alternating rounds: the guest's console is the bottleneck and the machine is noisy.
    const rawRates: number[] = [];
    const oneRates: number[] = [];
    let cpuOne = 0;
    let keeperOne = 0;
    for (let i = 0; i < ROUNDS; i++) {
      rawRates.push(await raw.stream());
      const c0 = both();
      const k0 = cpuSeconds(keeperPid);
      oneRates.push((await throughput([writer]))[0]);
      cpuOne += both() - c0;
      keeperOne += cpuSeconds(keeperPid) - k0;
    }
    const rss1 = rssMiB(daemonPid);

    const rawLatency = await raw.echo();
    const latency: number[] = [];
    for (let i = 0; i < echoes; i++) {
      const n = writer.tap.output.length;
      const echoed = outputWhere(ws, writer.tap, () => writer.tap.output.length > n);
      const t0 = performance.now();
      ws.emit("console:input", { guestId: g.id, data: i % 2 ? "\x7f" : "a" });
      await echoed;
      latency.push(performance.now() - t0);
    }

    const watchers: Array<{ s: TestSocket; tap: ConsoleTap }> = [];
    for (let i = 0; i < 9; i++) {
      const s = await daemon.socket();
      watchers.push({ s, tap: await daemon.attachConsole(s, g.id, null, { name: `w${i}` }) });
    }
    const rss10 = rssMiB(daemonPid);
    const rawRates10: number[] = [];
    const tenMins: number[] = [];
    const tenAll: number[] = [];
    let cpuTen = 0;
    for (let i = 0; i < ROUNDS; i++) {
      rawRates10.push(await raw.stream());
      const c0 = both();
      const ten = await throughput([writer, ...watchers]);
      cpuTen += both() - c0;
      tenMins.push(Math.min(...ten));
      tenAll.push(...ten);
    }
    await raw.close();
    const r = { rate: pct(rawRates, 0.5), latency: rawLatency };
    const one = pct(oneRates, 0.5);
    const ten = tenAll;
    const rawTen = pct(rawRates10, 0.5);
    cpuOne /= ROUNDS;
    keeperOne /= ROUNDS;
    cpuTen /= ROUNDS;

    const kb = (x: number) => `${(x / 1024).toFixed(1)} KiB/s`;
    console.log(
      `console throughput, median of ${ROUNDS} alternating rounds (${lines} lines of "y", ${((lines * 3) / 1024 / 1024).toFixed(2)} MiB on the wire):`,
    );
    console.log(
      `  raw pty:            ${kb(r.rate)}   (idle CPU ${kb(pct(rawIdle, 0.5))}, a core kept awake ${kb(pct(rawAwake, 0.5))})`,
    );
    console.log(`  Corral, 1 viewer:   ${kb(one)}   ratio ${(one / r.rate).toFixed(2)}`);
    console.log(
      `  Corral, 10 viewers: slowest viewer ${kb(pct(tenMins, 0.5))}, median viewer ${kb(pct(ten, 0.5))}; raw in the same rounds ${kb(rawTen)}   ratio (slowest) ${(pct(tenMins, 0.5) / rawTen).toFixed(2)}`,
    );
    console.log(`keystroke echo (${echoes} keys):`);
    console.log(`  raw pty: p50 ${pct(r.latency, 0.5).toFixed(2)} ms, p99 ${pct(r.latency, 0.99).toFixed(2)} ms`);
    console.log(
      `  Corral:  p50 ${pct(latency, 0.5).toFixed(2)} ms, p99 ${pct(latency, 0.99).toFixed(2)} ms   (p99 − raw p99 = ${(pct(latency, 0.99) - pct(r.latency, 0.99)).toFixed(2)} ms)`,
    );
    const mb = (lines * 3) / 1e6;
    console.log(`  of which the keeper: ${((keeperOne / mb) * 1000).toFixed(0)} ms per MB with 1 viewer`);
    console.log(
      `daemon + keeper cost: CPU ${((cpuOne / mb) * 1000).toFixed(0)} ms per MB with 1 viewer, ${((cpuTen / mb) * 1000).toFixed(0)} ms per MB with 10`,
    );
    console.log(
      `  → ${(((cpuTen - cpuOne) / 9 / mb) * 1000).toFixed(1)} ms CPU per MB per extra viewer; RSS ${rss1.toFixed(0)} MiB with 1 viewer, ${rss10.toFixed(0)} MiB with 10 (${((rss10 - rss1) / 9).toFixed(2)} MiB per viewer)`,
    );
  } finally {
    await daemon.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
