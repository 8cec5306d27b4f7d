// What sampling costs, measured in one run: two real daemons side by side, each running the
// same number of idle guests, one sampling every 5 s and one with sampling off. Both are
// measured over the same window, so whatever else the host does weighs on both alike.
//   daemon CPU: utime+stime of each daemon process (% of one core);
//   guest CPU:  of all its guests' process groups (mconsole queries run guest kernel code).
// Usage: npm run bench:metrics [-- guests seconds]    (default 50 guests, 60 s)
import fs from "node:fs";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { CLOCK_TICKS_PER_SECOND, readProcessGroups } from "../server/metrics/host-reader";
import { parseProcStat } from "../server/metrics/proc-text";

const guestCount = Number(process.argv[2] ?? 50);
const seconds = Number(process.argv[3] ?? 60);
const INTERVAL_S = 5;

function processTicks(pid: number): number {
  return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, "latin1"))!.ticks;
}

async function guestTicks(d: TestDaemon): Promise<number> {
  const pids = new Set(d.kernels().map((k) => k.pid));
  const groups = await readProcessGroups(pids);
  return [...groups.values()].flat().reduce((n, p) => n + p.ticks, 0);
}

async function startGuests(d: TestDaemon, tag: string): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < guestCount; i++) ids.push((await d.createGuest(`${tag}-${i}`)).id);
  for (let i = 0; i < ids.length; i += 4) await Promise.all(ids.slice(i, i + 4).map((id) => d.startGuest(id)));
}

const pct = (ticks: number, s: number) => ((ticks / CLOCK_TICKS_PER_SECOND / s) * 100).toFixed(2);

async function main() {
  const on = new TestDaemon({ CORRAL_METRICS_INTERVAL_SECONDS: String(INTERVAL_S), CORRAL_LOG_LEVEL: "debug" });
  const off = new TestDaemon({ CORRAL_METRICS_INTERVAL_SECONDS: "0", CORRAL_LOG_LEVEL: "info" });
  try {
    await Promise.all([on.start(), off.start()]);
    console.log(`starting ${guestCount} guests on each daemon…`);
    await Promise.all([startGuests(on, "on"), startGuests(off, "off")]);
    await new Promise((r) => setTimeout(r, 15_000)); // boots settle; a few ticks pass
    const logFrom = on.logText.length;
    const before = {
      on: processTicks(on.proc!.pid!),
      off: processTicks(off.proc!.pid!),
      onGuests: await guestTicks(on),
      offGuests: await guestTicks(off),
    };
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const s = (performance.now() - t0) / 1000;
    const after = {
      on: processTicks(on.proc!.pid!),
      off: processTicks(off.proc!.pid!),
      onGuests: await guestTicks(on),
      offGuests: await guestTicks(off),
    };
    const ticks = [
      ...on.logText.slice(logFrom).matchAll(/\[metrics\] sampled \{"guests":(\d+),"rolledUp":\d+,"ms":(\d+)\}/g),
    ];
    const ms = ticks.map((m) => Number(m[2])).sort((a, b) => a - b);
    console.log(`${guestCount} running guests per daemon, measured over ${s.toFixed(0)} s:`);
    console.log(`  daemon CPU, sampling every ${INTERVAL_S} s: ${pct(after.on - before.on, s)} % of one core`);
    console.log(`  daemon CPU, sampling off:        ${pct(after.off - before.off, s)} % of one core`);
    console.log(
      `  sampling's own cost:             ${pct(after.on - before.on - (after.off - before.off), s)} % of one core`,
    );
    console.log(
      `  all guests' CPU: ${pct(after.onGuests - before.onGuests, s)} % sampled, ` +
        `${pct(after.offGuests - before.offGuests, s)} % not (mconsole answers run in the guests)`,
    );
    if (ms.length) {
      const guestsSampled = ticks[ticks.length - 1][1];
      console.log(
        `  ticks: ${ms.length}, ${guestsSampled} guests each, wall time median ${ms[ms.length >> 1]} ms, max ${ms[ms.length - 1]} ms`,
      );
    }
  } finally {
    await Promise.all([on.cleanup(), off.cleanup()]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
