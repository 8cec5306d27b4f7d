// The console through Corral versus the physical limit, in one run:
//   raw:    linux.uml on a plain pty read by a tiny Node reader (bench/raw-reader.ts);
//   corral: the same guest command through the keeper and the daemon to socket.io clients.
// Rounds alternate raw and Corral (the machine is shared and noisy). Prints throughput with
// 1 and 10 viewers, CPU per MB of the daemon and the keeper against the raw reader's, and
// keystroke echo latency p50/p99, each against raw measured in the same run.
// Usage: npm run bench:console [-- LINES LINE_BYTES ECHOES]   (defaults 8000 1 200)
// Env: CORRAL_BENCH_ROUNDS (3), CORRAL_BENCH_TIMEOUT_S (600: the whole run's budget),
// CORRAL_BENCH_VIEWER_PROCS (1: processes the nine viewers beside the writer run in; 0: the bench's own).
// CORRAL_BENCH_ECHO_GAP_MS (50: the pause after each echo before the next key, raw and Corral alike).
import path from "node:path";
import { TestDaemon, type ConsoleTap, type TestSocket } from "../server/test-support/daemon-harness";
import { nudgeWhenStalled } from "./kernel-nudge";
import { consoleBenchArgs, cpuSeconds, markerSeen, outputWhere, pct, progress, range, Rig } from "./console-rig";

const { lines, lineBytes, echoes, echoGapMs, ROUNDS, BUDGET_S } = consoleBenchArgs("bench:console");
const IDLE_S = 5;
// The nine viewers beside the writer run in this many processes of their own (0: in the
// bench's process, beside the writer, as before stop 28).
const VIEWER_PROCS = Number(process.env.CORRAL_BENCH_VIEWER_PROCS ?? 1);
if (!Number.isInteger(VIEWER_PROCS) || VIEWER_PROCS < 0 || VIEWER_PROCS > 9) {
  console.error("bench:console: CORRAL_BENCH_VIEWER_PROCS must be a whole number from 0 to 9");
  process.exit(2);
}
const range9 = Array.from({ length: 9 }, (_, i) => i);
const MARKER = "\r\nDONE-2\r\n";
// The line is made in the guest, so the typed command stays short.
const STREAM = `yes ${lineBytes > 1 ? `$(printf %0${lineBytes}d 0)` : "y"} | head -n ${lines}; echo DONE-$((1+1))\r`;

interface Sample {
  bytes: number;
  seconds: number;
  daemonCpu: number;
  keeperCpu: number;
  /** The bench's own process and the viewers' processes: the clients' side, on the same cores. */
  viewersCpu: number;
  slowest: number;
  nudges: number;
  /** console:data messages the first viewer received. */
  messages: number;
  /** Bytes per console:data message the crowd's viewers received (NaN without a crowd). */
  othersPerMessage: number;
  /** Viewers resynced with a snapshot (they fell behind the ring): their rate is not a stream's. */
  resyncs: number;
}
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
type Nudger = ReturnType<typeof nudgeWhenStalled>;
let busy = false;

type Crowd = Awaited<ReturnType<Rig["crowd"]>>;

/** One stream through Corral, watched by every tap and the crowd's viewers; rates are bytes/s of each viewer. */
async function corralStream(
  rig: Rig,
  taps: Array<{ s: TestSocket; tap: ConsoleTap }>,
  pids: number[],
  nudge: Nudger,
  crowd?: Crowd,
) {
  const before = taps.map(({ tap }) => tap.output.length);
  const resyncs0 = taps.map(({ tap }) => tap.resyncs);
  let messages = 0;
  const count = () => void messages++;
  taps[0].s.on("console:data", count);
  const crowdDone = (await crowd?.arm(MARKER))?.finished;
  const [d0, k0] = pids.map(cpuSeconds);
  const bench0 = process.cpuUsage();
  const t0 = performance.now();
  const finished = Promise.all(
    taps.map(({ s, tap }, i) => {
      // A viewer that fell behind the ring is resynced with the screen instead: done once that shows the end.
      const seen = markerSeen(tap, MARKER, before[i]);
      const resynced = () => tap.resyncs > resyncs0[i] && tap.snapshot.includes(MARKER.trim());
      return outputWhere(s, () => seen() || resynced()).then(
        () => (tap.output.length - before[i]) / ((performance.now() - t0) / 1000),
      );
    }),
  );
  nudge.take();
  busy = true;
  await rig.within("the command to be typed", taps[0].tap.type(STREAM));
  const [rates, others] = await rig
    .within("Corral's stream", Promise.all([finished, crowdDone]))
    .finally(() => ((busy = false), taps[0].s.off("console:data", count)));
  const [d1, k1] = pids.map(cpuSeconds);
  const bench = process.cpuUsage(bench0);
  const t0At = performance.timeOrigin + t0;
  const bytes = taps[0].tap.output.length - before[0];
  return {
    bytes,
    seconds: bytes / rates[0],
    daemonCpu: d1 - d0,
    keeperCpu: k1 - k0,
    viewersCpu: (bench.user + bench.system) / 1e6 + (others?.cpu ?? 0),
    slowest: Math.min(...rates, ...(others?.done ?? []).map((d) => d.bytes / ((d.at - t0At) / 1000))),
    nudges: nudge.take(),
    messages,
    othersPerMessage: others ? sum(others.done, (d) => d.bytes) / sum(others.done, (d) => d.messages) : NaN,
    resyncs: taps.reduce((n, { tap }, i) => n + tap.resyncs - resyncs0[i], 0) + (others?.resyncs ?? 0),
  };
}

async function main() {
  const rig = new Rig(BUDGET_S);
  try {
    progress(`starting a daemon (${lines} lines of ${lineBytes} bytes per stream, ${ROUNDS} rounds)`);
    const daemon = new TestDaemon();
    rig.daemon = daemon;
    await rig.within("the daemon", daemon.start());
    const raw = await rig.rawKernel(path.join(daemon.dataDir, "images/busybox.img"));
    const g = await daemon.createGuest("bench");
    await daemon.startGuest(g.id);
    const pids = [daemon.proc!.pid!, daemon.keeperPid()!];
    const ws = await daemon.socket();
    const writer = { s: ws, tap: await daemon.attachConsole(ws, g.id, null, { name: "writer" }) };
    await new Promise((r) => setTimeout(r, 1000));
    const kernelPid = () => daemon.kernels().find((k) => k.umid === g.id)?.pid ?? null;
    const nudge = nudgeWhenStalled(
      kernelPid,
      () => writer.tap.output.length,
      () => busy,
    );
    // What the daemon and keeper spend with the guest quiet (metrics, timers): part of every
    // stream's CPU below, printed so it can be told apart from the console's own cost.
    const idle0 = pids.map(cpuSeconds);
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const idlePerS = pids.map((pid, i) => (cpuSeconds(pid) - idle0[i]) / IDLE_S);
    progress(`idle: daemon ${(idlePerS[0] * 100).toFixed(1)} %, keeper ${(idlePerS[1] * 100).toFixed(1)} % of a core`);

    const rawRuns: Array<{ bytes: number; seconds: number; cpu: number; nudges: number }> = [];
    const one: Sample[] = [];
    const ten: Sample[] = [];
    const ratioOne: number[] = [];
    const ratioTen: number[] = [];
    const kib = (x: number) => `${(x / 1024).toFixed(1)} KiB/s`;
    const rawRound = async (i: number) => {
      const r = await raw.stream(STREAM, MARKER);
      rawRuns.push(r);
      progress(`round ${i + 1}/${ROUNDS}: raw ${kib(r.bytes / r.seconds)}`);
      return r.bytes / r.seconds;
    };
    for (let i = 0; i < ROUNDS; i++) {
      const rawRate = await rawRound(i);
      const s = await corralStream(rig, [writer], pids, nudge);
      one.push(s);
      ratioOne.push(s.slowest / rawRate);
      progress(`round ${i + 1}/${ROUNDS}: Corral, 1 viewer ${kib(s.slowest)}`);
    }

    progress(`echo: ${echoes} keys raw, then ${echoes} through Corral, one ${echoGapMs} ms after each echo`);
    const { latency: rawLatency, nudged: rawNudged } = await raw.echo(echoes, echoGapMs);
    progress(`echo: raw p50 ${pct(rawLatency, 0.5).toFixed(2)} ms; now through Corral`);
    const latency: number[] = [];
    let nudged = 0;
    for (let i = 0; i < echoes; i++) {
      const n = writer.tap.output.length;
      const echoed = outputWhere(ws, () => writer.tap.output.length > n);
      busy = true;
      const t0 = performance.now();
      ws.emit("console:input", { guestId: g.id, data: i % 2 ? "\x7f" : "a" });
      await rig.within("an echo", echoed);
      busy = false;
      // An echo the kernel only gave after a nudge measures its lost wake-up: counted, not timed.
      if (nudge.take()) nudged++;
      else latency.push(performance.now() - t0);
      if (echoGapMs) await new Promise((r) => setTimeout(r, echoGapMs));
    }
    // After an odd number of keys one is left on the line (raw-reader.ts erases its own too).
    if (echoes % 2) {
      const n = writer.tap.output.length;
      const erased = outputWhere(ws, () => writer.tap.output.length > n);
      ws.emit("console:input", { guestId: g.id, data: "\x7f" });
      await rig.within("an echo", erased);
    }

    const taps = [writer];
    const names = range9.map((i) => `w${i}`);
    const crowd = VIEWER_PROCS
      ? await rig.crowd(VIEWER_PROCS, { url: daemon.url, credential: await daemon.admin(), guestId: g.id, names })
      : undefined;
    for (const name of crowd ? [] : names) {
      const s = await daemon.socket();
      taps.push({ s, tap: await daemon.attachConsole(s, g.id, null, { name }) });
    }
    for (let i = 0; i < ROUNDS; i++) {
      const rawRate = await rawRound(i);
      const s = await corralStream(rig, taps, pids, nudge, crowd);
      ten.push(s);
      ratioTen.push(s.slowest / rawRate);
      progress(`round ${i + 1}/${ROUNDS}: Corral, 10 viewers, slowest ${kib(s.slowest)}`);
    }

    const perMB = (cpu: number, bytes: number) => cpu / (bytes / 1e6);
    const rawCpu = rawRuns.map((r) => perMB(r.cpu, r.bytes));
    const cpuOf = (xs: Sample[], f: (s: Sample) => number) => xs.map((s) => perMB(f(s), s.bytes));
    const s2 = (x: number) => `${x.toFixed(2)} s`;
    const x2 = (x: number) => `${x.toFixed(2)}×`;
    const line = (label: string, xs: number[], f: (x: number) => string) =>
      console.log(`  ${label.padEnd(30)} median ${f(pct(xs, 0.5))}   (${range(xs, f)})`);
    const mb = one[0].bytes / 1e6;
    console.log(`console: ${lines} lines of ${lineBytes} bytes (${mb.toFixed(2)} MB a stream), ${ROUNDS} rounds each`);
    console.log(
      `viewers: the writer in the bench's process, the other nine ${VIEWER_PROCS ? `in ${VIEWER_PROCS} process(es) of their own` : "beside it"}`,
    );
    console.log("throughput (rounds alternate raw and Corral; ratio to the raw round before it):");
    line(
      "raw pty",
      rawRuns.map((r) => r.bytes / r.seconds),
      kib,
    );
    line(
      "Corral, 1 viewer",
      one.map((s) => s.slowest),
      kib,
    );
    line("  ratio to raw", ratioOne, x2);
    line(
      "Corral, 10 viewers (slowest)",
      ten.map((s) => s.slowest),
      kib,
    );
    line("  ratio to raw", ratioTen, x2);
    console.log("CPU per MB of console output:");
    line("raw reader", rawCpu, s2);
    const both = (s: Sample) => s.daemonCpu + s.keeperCpu;
    const idleCost = (s: Sample) => (idlePerS[0] + idlePerS[1]) * s.seconds;
    for (const [label, xs] of [
      ["1 viewer", one],
      ["10 viewers", ten],
    ] as const) {
      line(
        `daemon, ${label}`,
        cpuOf(xs, (s) => s.daemonCpu),
        s2,
      );
      line(
        `keeper, ${label}`,
        cpuOf(xs, (s) => s.keeperCpu),
        s2,
      );
      line(`daemon + keeper, ${label}`, cpuOf(xs, both), s2);
      line(
        "  ratio to raw reader",
        cpuOf(xs, both).map((c) => c / pct(rawCpu, 0.5)),
        x2,
      );
      line("  of which idle cost", cpuOf(xs, idleCost), s2);
      line(
        `viewers (clients), ${label}`,
        cpuOf(xs, (s) => s.viewersCpu),
        s2,
      );
    }
    const perMsg = [...one, ...ten].map((s) => s.bytes / s.messages);
    line("bytes per message (batching)", perMsg, (x) => x.toFixed(0));
    if (crowd)
      line(
        "  the nine others, 10 viewers",
        ten.map((s) => s.othersPerMessage),
        (x) => x.toFixed(0),
      );
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    const stalls = `raw ${rawRuns.reduce((a, r) => a + r.nudges, 0)}, Corral ${[...one, ...ten].reduce((a, r) => a + r.nudges, 0)}`;
    console.log(
      `  viewers resynced with a snapshot (fell behind): ${[...one, ...ten].reduce((a, r) => a + r.resyncs, 0)}`,
    );
    console.log(`  streams the kernel stalled in and was woken (SIGIO, see kernel-nudge.ts): ${stalls}`);
    console.log(
      `keystroke echo (${echoes} keys, one ${echoGapMs} ms after the last echo; echoes the kernel stalled on, not timed: raw ${rawNudged}, Corral ${nudged}):`,
    );
    console.log(`  raw pty   p50 ${ms(pct(rawLatency, 0.5))}, p99 ${ms(pct(rawLatency, 0.99))}`);
    console.log(`  Corral    p50 ${ms(pct(latency, 0.5))}, p99 ${ms(pct(latency, 0.99))}`);
    console.log(
      `  Corral − raw: p50 ${ms(pct(latency, 0.5) - pct(rawLatency, 0.5))}, p99 ${ms(pct(latency, 0.99) - pct(rawLatency, 0.99))}`,
    );
  } finally {
    progress("cleaning up");
    await rig.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
