// What a boot log costs on disk, in one run, for a guest printing `seq 1 <lines>`:
//   recorder: a raw UML kernel on a pty; every piece it prints goes to three BootLogs at
//     once — an event per piece (how Corral recorded before), an event per event-loop turn,
//     and as Corral records now (pieces within COALESCE_MS joined). Prints each log's size
//     as a ratio to the output, checks all three replay the exact output, and how far any
//     byte's time moved (the replay's faithfulness).
//   corral: the same command through the daemon and keeper; the boot's cast file.
// Usage: npm run bench:boot-log [-- lines]   (default 600000, about 4.6 MB of output)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { castOutput, parseCast, type CastEvent } from "../server/boots/asciicast";
import { BootLog, COALESCE_MS } from "../server/boots/boot-log";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { killGroup } from "../server/uml/kernel-process";
import { spawnRawKernel } from "./raw-kernel-pty";

const lines = Number(process.argv[2] ?? 600_000);
const COMMAND = `seq 1 ${lines}; echo DONE-$((1+1))\r`;
const DEADLINE_MS = 10 * 60_000;
const MiB = 1024 * 1024;
const cleanups: Array<() => Promise<void> | void> = [];

async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}
const deadline = setTimeout(() => {
  console.error(`bench: not done after ${DEADLINE_MS / 60_000} min; giving up`);
  void cleanup().then(() => process.exit(1));
}, DEADLINE_MS);

/** Resolves once `done` holds for the text seen so far, checking only what is new. */
function until(marker: string, feed: (fn: (d: string) => void) => void): Promise<void> {
  return new Promise((resolve) => {
    let tail = "";
    feed((d) => {
      tail = (tail + d).slice(-marker.length - 64);
      if (tail.includes(marker)) resolve();
    });
  });
}

/** Largest gap between when a byte arrived and the time of the event that holds it. */
function maxShiftMs(pieces: Array<{ at: number; data: string }>, events: CastEvent[], t0: number): number {
  const outputs = events.filter((e) => e[1] === "o");
  let e = 0;
  let used = 0;
  let shift = 0;
  for (const p of pieces) {
    while (used >= outputs[e][2].length) {
      used = 0;
      e++;
    }
    shift = Math.max(shift, p.at - t0 - outputs[e][0] * 1000);
    used += p.data.length;
  }
  return shift;
}

async function recorder(image: string) {
  const { term, dir } = spawnRawKernel(image, "log");
  cleanups.push(() => {
    killGroup(term.pid, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const listeners: Array<(d: string) => void> = [];
  term.onData((d) => listeners.forEach((fn) => fn(d)));
  let measured = false;
  term.onExit(({ exitCode }) => {
    if (measured) return;
    console.error(`bench: the raw kernel exited (${exitCode}) before the bench was done`);
    void cleanup().then(() => process.exit(1));
  });
  await until(":/# ", (fn) => listeners.push(fn)); // busybox's prompt: "<hostname>:/# "
  await new Promise((r) => setTimeout(r, 500)); // the prompt's trailing escape sequence

  const t0 = Date.now();
  const modes = {
    "an event per piece (before)": null,
    "an event per turn": 0,
    [`joined within ${COALESCE_MS} ms (now)`]: COALESCE_MS,
  };
  const logs = Object.entries(modes).map(([name, coalesceMs]) => ({
    name,
    file: path.join(dir, `${name.length}-${coalesceMs}.cast`),
    log: null as BootLog | null,
    coalesceMs,
  }));
  for (const l of logs)
    l.log = new BootLog(l.file, {
      size: { cols: 80, rows: 24 },
      title: "bench",
      startedAt: t0,
      coalesceMs: l.coalesceMs,
    });
  const pieces: Array<{ at: number; data: string }> = [];
  let output = "";
  listeners.push((d) => {
    const at = Date.now();
    pieces.push({ at, data: d });
    output += d;
    for (const l of logs) l.log!.output(d, at);
  });
  const done = until("DONE-2\r\n", (fn) => listeners.push(fn));
  term.write(COMMAND);
  const progress = setInterval(
    () => process.stdout.write(`\r  recorder: ${(output.length / MiB).toFixed(1)} MiB printed`),
    1000,
  );
  await done;
  clearInterval(progress);
  process.stdout.write("\n");
  measured = true;
  const outputBytes = Buffer.byteLength(output);
  const rows = logs.map((l) => {
    l.log!.close();
    const text = fs.readFileSync(l.file, "utf8");
    const { events } = parseCast(text);
    if (castOutput(events) !== output) throw new Error(`${l.name}: the log does not replay the output exactly`);
    return {
      name: l.name,
      bytes: Buffer.byteLength(text),
      events: events.length,
      shift: maxShiftMs(pieces, events, t0),
    };
  });
  await cleanup();
  return { outputBytes, pieces: pieces.length, rows };
}

async function throughCorral() {
  const daemon = new TestDaemon({ CORRAL_BOOT_LOG_MAX_MIB: "1024", CORRAL_GUEST_LOGS_MAX_MIB: "1024" });
  cleanups.push(() => daemon.cleanup());
  await daemon.start();
  const g = await daemon.createGuest("bench-log", { network: "none", memoryMiB: 64 });
  await daemon.startGuest(g.id);
  const s = await daemon.socket();
  const tap = await daemon.attachConsole(s, g.id, null);
  await tap.type(COMMAND);
  const progress = setInterval(
    () => process.stdout.write(`\r  corral: ${(tap.output.length / MiB).toFixed(1)} MiB seen`),
    1000,
  );
  await tap.expect(/DONE-2\r\n/, DEADLINE_MS);
  clearInterval(progress);
  process.stdout.write("\n");
  await daemon.api("POST", `/api/guests/${g.id}/stop`);
  await daemon.waitForState(g.id, "stopped");
  const [boot] = (await daemon.api<Array<{ logBytes: number }>>("GET", `/api/guests/${g.id}/boots`)).body;
  const bytes = fs.statSync(path.join(daemon.dataDir, "guests", g.id, "boots", "1.cast")).size;
  const image = path.join(daemon.dataDir, "images/busybox.img");
  const copy = path.join(os.tmpdir(), `corral-bench-image-${process.pid}.img`);
  fs.copyFileSync(image, copy);
  await cleanup(); // the daemon, its guest and its data directory
  cleanups.push(() => fs.rmSync(copy, { force: true }));
  return { outputBytes: boot.logBytes, bytes, image: copy };
}

async function main() {
  console.log(`boot log size for \`seq 1 ${lines}\` (progress every second)`);
  const corral = await throughCorral();
  const rec = await recorder(corral.image);
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  console.log(`recorder, one raw kernel, ${mb(rec.outputBytes)} of output in ${rec.pieces} pieces:`);
  for (const r of rec.rows) {
    console.log(
      `  ${r.name.padEnd(30)} ${mb(r.bytes).padStart(9)}  ratio to output ${(r.bytes / rec.outputBytes).toFixed(2)}  ` +
        `${String(r.events).padStart(8)} events  latest byte moved ${r.shift.toFixed(1)} ms  replays exactly`,
    );
  }
  const before = rec.rows[0].bytes;
  const now = rec.rows[rec.rows.length - 1].bytes;
  console.log(`  now / before: ${(now / before).toFixed(2)}`);
  console.log(
    `through Corral (keeper's log): ${mb(corral.bytes)} for ${mb(corral.outputBytes)} of output, ratio ${(corral.bytes / corral.outputBytes).toFixed(2)}`,
  );
}

main()
  .catch(async (err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    clearTimeout(deadline);
    await cleanup();
  });
