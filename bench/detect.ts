// How fast a guest's end is noticed: time from the cause to the daemon's `guest:state`
// event reaching a socket.io client, for a kernel panic (mconsole notify), a halt inside
// the guest (process exit) and a SIGKILL from outside. Goal: under a second each.
// Usage: npm run bench:detect [-- runs]   (default 5)
import { TestDaemon, waitFor } from "../server/test-support/daemon-harness";

const runs = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const daemon = new TestDaemon();
  await daemon.start();
  const s = await daemon.socket();
  await s.emitWithAck("guests:watch");
  const results: Record<string, number[]> = { panic: [], halt: [], sigkill: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const cause of Object.keys(results)) {
        const g = await daemon.createGuest(`${cause}-${i}`);
        await daemon.startGuest(g.id);
        const tap = await daemon.attachConsole(s, g.id);
        let endedAt = 0;
        const onState = (e: { id: string; state: string }) => {
          if (e.id === g.id && (e.state === "crashed" || e.state === "stopped") && !endedAt) endedAt = performance.now();
        };
        s.on("guest:state", onState);
        let t0: number;
        if (cause === "sigkill") {
          const pid = daemon.kernels().find((k) => k.umid === g.id)!.pid;
          t0 = performance.now();
          process.kill(-pid, "SIGKILL");
        } else {
          // Timed from sending the command: an upper bound that includes the guest's own work.
          t0 = performance.now();
          await tap.type(cause === "panic" ? "echo c > /proc/sysrq-trigger\r" : "halt -f\r");
        }
        await waitFor("the end to be announced", () => endedAt, 30_000);
        results[cause].push(endedAt - t0);
        s.off("guest:state", onState);
      }
    }
  } finally {
    await daemon.cleanup();
  }
  for (const [cause, xs] of Object.entries(results)) {
    console.log(`${cause.padEnd(8)} detected after ${median(xs).toFixed(0)} ms median (samples ${xs.map((x) => x.toFixed(0)).join(" ")})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
