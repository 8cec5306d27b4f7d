// A console on another host versus the same console on its own host, in one run: two daemons
// (fleet-a, fleet-b) on a throwaway PostgreSQL, one busybox guest on fleet-b, one viewer on
// fleet-b's own daemon ("local") and one through fleet-a's (relayed: fleet-a → fleet-b over a
// console link). Both watch every stream, so each round's ratio compares the same bytes from
// the same kernel; keystroke echoes alternate in blocks between the two writers.
// Goals (issue 15): throughput ratio relayed/local ≥ 0.9; echo p99 relayed − local ≤ 1 ms.
// Usage: npm run bench:fleet [-- LINES LINE_BYTES ECHOES]   (defaults 8000 1 200, as bench:console)
// Env: CORRAL_BENCH_ROUNDS (3), CORRAL_BENCH_TIMEOUT_S (600: the whole run's budget).
import type { ConsoleTap, TestSocket } from "../server/test-support/daemon-harness";
import { FleetRig } from "../server/test-support/fleet-rig";
import { nudgeWhenStalled } from "./kernel-nudge";
import {
  consoleBenchArgs,
  cpuSeconds,
  markerSeen,
  outputWhere,
  pct,
  progress,
  range,
  Rig,
  runBench,
} from "./console-rig";

const { lines, lineBytes, echoes, ROUNDS, BUDGET_S } = consoleBenchArgs("bench:fleet");
const MARKER = "\r\nDONE-2\r\n";
// The line is made in the guest, so the typed command stays short.
const STREAM = `yes ${lineBytes > 1 ? `$(printf %0${lineBytes}d 0)` : "y"} | head -n ${lines}; echo DONE-$((1+1))\r`;
const BLOCK = 20;

interface Viewer {
  label: "local" | "relayed";
  s: TestSocket;
  tap: ConsoleTap;
}

async function main() {
  const rig = new Rig(BUDGET_S);
  const fleet = new FleetRig();
  rig.cleanupAlso = () => fleet.cleanup();
  try {
    progress(
      `starting PostgreSQL and two daemons (${lines} lines of ${lineBytes} bytes per stream, ${ROUNDS} rounds, ${echoes} echoes each)`,
    );
    await rig.within("the fleet", fleet.start({}, { ownSignals: false }));
    const g = await rig.within("the guest", fleet.createGuestOn(fleet.b, "bench-fleet"));
    await rig.within("the guest to boot", fleet.b.startGuest(g.id));
    const open = async (label: Viewer["label"], d: typeof fleet.a): Promise<Viewer> => {
      const s = await d.socket();
      return { label, s, tap: await d.attachConsole(s, g.id, null, { name: label }) };
    };
    const local = await rig.within("the local viewer", open("local", fleet.b));
    const relayed = await rig.within("the relayed viewer", open("relayed", fleet.a));
    const viewers = [local, relayed];
    await new Promise((r) => setTimeout(r, 1000));
    let busy = false;
    const kernelPid = () => fleet.b.kernels().find((k) => k.umid === g.id)?.pid ?? null;
    const nudge = nudgeWhenStalled(
      kernelPid,
      () => local.tap.output.length,
      () => busy,
    );

    const rates = { local: [] as number[], relayed: [] as number[], ratio: [] as number[] };
    // CPU per MB of each daemon: fleet-b's holds the console, fleet-a's only relays it.
    const pids = [fleet.b.proc!.pid!, fleet.a.proc!.pid!];
    const cpuPerMB = { owner: [] as number[], relay: [] as number[] };
    const kib = (x: number) => `${(x / 1024).toFixed(1)} KiB/s`;
    for (let i = 0; i < ROUNDS; i++) {
      const writer = viewers[i % 2];
      await rig.within("control", writer.tap.takeControl());
      const before = viewers.map((v) => v.tap.output.length);
      const t0 = performance.now();
      const done = viewers.map((v, k) =>
        outputWhere(v.s, markerSeen(v.tap, MARKER, before[k])).then(
          () => (v.tap.output.length - before[k]) / ((performance.now() - t0) / 1000),
        ),
      );
      const cpu0 = pids.map(cpuSeconds);
      busy = true;
      nudge.take();
      await rig.within("the command to be typed", writer.tap.type(STREAM));
      const [l, r] = await rig.within("the stream", Promise.all(done)).finally(() => (busy = false));
      rates.local.push(l);
      rates.relayed.push(r);
      rates.ratio.push(r / l);
      const mb = (local.tap.output.length - before[0]) / 1e6;
      const [owner, relay] = pids.map((pid, k) => (cpuSeconds(pid) - cpu0[k]) / mb);
      cpuPerMB.owner.push(owner);
      cpuPerMB.relay.push(relay);
      progress(
        `round ${i + 1}/${ROUNDS} (typed ${writer.label}): local ${kib(l)}, relayed ${kib(r)}, ratio ${(r / l).toFixed(3)}`,
      );
    }

    const latency = { local: [] as number[], relayed: [] as number[] };
    let nudged = 0;
    for (let block = 0; latency.local.length < echoes || latency.relayed.length < echoes; block++) {
      const v = viewers[block % 2];
      if (latency[v.label].length >= echoes) continue;
      await rig.within("control", v.tap.takeControl());
      for (let k = 0; k < BLOCK && latency[v.label].length < echoes; k++) {
        const n = v.tap.output.length;
        const echoed = outputWhere(v.s, () => v.tap.output.length > n);
        busy = true;
        const t0 = performance.now();
        v.s.emit("console:input", { guestId: g.id, data: k % 2 ? "\x7f" : "a" });
        await rig.within("an echo", echoed);
        busy = false;
        // An echo the kernel only gave after a nudge measures its lost wake-up: counted, not timed.
        if (nudge.take()) nudged++;
        else latency[v.label].push(performance.now() - t0);
      }
      if (block % 4 === 3) progress(`echo: ${latency.local.length + latency.relayed.length}/${2 * echoes}`);
    }
    nudge.stop();

    const x3 = (x: number) => x.toFixed(3);
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    const line = (label: string, xs: number[], f: (x: number) => string) =>
      console.log(`  ${label.padEnd(28)} median ${f(pct(xs, 0.5))}   (${range(xs, f)})`);
    console.log(
      `bench:fleet: a guest on fleet-b; ${lines} lines of ${lineBytes} bytes a stream (${(local.tap.output.length / 1e6).toFixed(2)} MB seen in all), ${ROUNDS} rounds`,
    );
    console.log("throughput (both viewers watch each stream; ratio relayed/local of the same stream):");
    line("local (fleet-b's daemon)", rates.local, kib);
    line("relayed (through fleet-a)", rates.relayed, kib);
    line("ratio relayed/local", rates.ratio, x3);
    console.log(`  goal ≥ 0.9: ${pct(rates.ratio, 0.5) >= 0.9 ? "met" : "MISSED"} (median)`);
    const s2 = (x: number) => `${x.toFixed(2)} s`;
    console.log("daemon CPU per MB of console output (both viewers attached):");
    line("fleet-b (holds the console)", cpuPerMB.owner, s2);
    line("fleet-a (relays it)", cpuPerMB.relay, s2);
    console.log(
      `keystroke echo (${echoes} keys each, in blocks of ${BLOCK}; ${nudged} the kernel stalled on, not timed):`,
    );
    for (const label of ["local", "relayed"] as const)
      console.log(`  ${label.padEnd(8)} p50 ${ms(pct(latency[label], 0.5))}, p99 ${ms(pct(latency[label], 0.99))}`);
    const d99 = pct(latency.relayed, 0.99) - pct(latency.local, 0.99);
    console.log(`  relayed − local: p50 ${ms(pct(latency.relayed, 0.5) - pct(latency.local, 0.5))}, p99 ${ms(d99)}`);
    console.log(`  goal p99 difference ≤ 1 ms: ${d99 <= 1 ? "met" : "MISSED"}`);
  } finally {
    progress("cleaning up");
    await rig.cleanup();
  }
}

runBench(main);
