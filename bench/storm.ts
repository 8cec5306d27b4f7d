// A boot storm: N guests started at once, through Corral versus N raw kernels, in one run.
//   raw:    N linux.uml on ptys spawned at once by this process, until every console shows
//           its shell prompt (no network, no daemon: the physical limit);
//   corral: N guests created beforehand (not timed), then N POST /start sent at once, until
//           the daemon reports every guest running. Each answer's latency is recorded. Once
//           those POSTs are answered, one more guest is started alone, again and again
//           through the storm (forced off each time while still queued, so it adds requests,
//           not boots): up to PROBES starts amid a storm, without the burst's own queue.
//   again:  the same N guests forced off (not timed) and started the same way: a restart,
//           which finds each guest's disk layer and seed disk already made.
// CPU is the time of every process below the bench's children (the kernels and their
// helpers; the daemon, the keeper and all they spawn), sampled from /proc, per boot.
// Usage: npm run bench:storm [-- N [MiB [network [PROBES]]]]   (defaults 50, 48, user, 30)
import os from "node:os";
import path from "node:path";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { cleanUp, corralStorm, forceOffAll, onCleanup, rawStorm, startStorm, type Storm } from "./guest-storms";

const count = Number(process.argv[2] ?? 50);
const memoryMiB = Number(process.argv[3] ?? 48);
const network = process.argv[4] ?? "user";
const PROBES = Number(process.argv[5] ?? 30);

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

async function main() {
  // Wall-clock figures mean little on a host others load too: the load average says how much.
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  console.log(
    `boot storm: ${count} guests of ${memoryMiB} MiB, network ${network}, ${os.cpus().length} cores, load ${load()}`,
  );
  const daemon = new TestDaemon();
  onCleanup(() => daemon.cleanup());
  await daemon.start();
  const image = path.join(daemon.dataDir, "images/busybox.img");

  const raw = await rawStorm(image, count, memoryMiB);
  await raw.end();
  const corral = await corralStorm(daemon, count, { memoryMiB, network }, PROBES);
  await forceOffAll(daemon, corral.guests);
  const again = await startStorm(daemon, corral.guests, corral.prober);
  await cleanUp();

  console.log(`  load average at the end: ${load()}`);
  const perBoot = (s: Storm) => s.cpuSeconds / count;
  console.log(`                      until every guest is up   CPU per boot`);
  console.log(
    `  raw linux.uml       ${raw.seconds.toFixed(1).padStart(8)} s              ${perBoot(raw).toFixed(2)} core-s`,
  );
  console.log(
    `  Corral              ${corral.seconds.toFixed(1).padStart(8)} s              ${perBoot(corral).toFixed(2)} core-s`,
  );
  console.log(
    `  Corral, restarted   ${again.seconds.toFixed(1).padStart(8)} s              ${perBoot(again).toFixed(2)} core-s`,
  );
  console.log(
    `  ratio Corral/raw    ${(corral.seconds / raw.seconds).toFixed(2).padStart(8)}                ${(perBoot(corral) / perBoot(raw)).toFixed(2)}`,
  );
  console.log(
    `  ratio restarted/raw ${(again.seconds / raw.seconds).toFixed(2).padStart(8)}                ${(perBoot(again) / perBoot(raw)).toFixed(2)}`,
  );
  const top = (s: Storm) =>
    s.byName
      .slice(0, 6)
      .map(([name, sec]) => `${name} ${(sec / count).toFixed(3)}`)
      .join(", ");
  console.log(`  CPU per boot by process, raw:    ${top(raw)}`);
  console.log(`  CPU per boot by process, Corral: ${top(corral)}`);
  console.log(`  CPU per boot by process, again:  ${top(again)}`);
  // Beside the sampled processes: what they miss (short-lived ones, kernel threads), and the rest of the machine.
  const hostPerBoot = (s: Storm) => s.hostCpuSeconds / count;
  console.log(
    `  host CPU per boot (the whole machine): raw ${hostPerBoot(raw).toFixed(3)}, Corral ${hostPerBoot(corral).toFixed(3)} ` +
      `(${(hostPerBoot(corral) / hostPerBoot(raw)).toFixed(2)}×), restarted ${hostPerBoot(again).toFixed(3)} ` +
      `(${(hostPerBoot(again) / hostPerBoot(raw)).toFixed(2)}×)`,
  );
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const spread = (xs: number[]) =>
    xs.length
      ? [0.5, 0.95, 0.99].map((q) => `p${q * 100} ${ms(quantile(xs, q))}`).join(", ") + `, max ${ms(Math.max(...xs))}`
      : "none sent";
  for (const [label, s] of [
    ["start", corral],
    ["restart", again],
  ] as const) {
    console.log(`  ${label}, ${count} POSTs at once, answered: ${spread(s.answers)}`);
    console.log(
      `  ${label}, ${s.probeAnswers.length} more one at a time amid the storm, answered: ${spread(s.probeAnswers)}`,
    );
    const d = s.loopDelay;
    console.log(
      `  ${label}, the daemon's event-loop delay amid the storm: p50 ${ms(d.p50Ms)}, p99 ${ms(d.p99Ms)}, max ${ms(d.maxMs)}`,
    );
    const t = s.scheduled;
    console.log(
      `  ${label}, the daemon's main thread amid the storm: ${t.runS.toFixed(1)} s on a CPU, ${t.waitS.toFixed(1)} s waiting for one, of ${t.seconds.toFixed(1)} s`,
    );
  }
  const probes = [...corral.probeAnswers, ...again.probeAnswers];
  console.log(`  all ${probes.length} starts amid the storms, answered: ${spread(probes)}`);
}

main().catch(async (err) => {
  console.error(err);
  await cleanUp();
  process.exit(1);
});
