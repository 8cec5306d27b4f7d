// The physical limit for bench/console.ts: a tiny Node process that only runs linux.uml on
// a pty and reads it — nothing else on its event loop, so it drains the pty as fast as
// the kernel fills it. Driven over IPC: "stream" → bytes/s and its own CPU, "echo" →
// latencies in ms. Its kernel dies with it: on "exit", on SIGINT/SIGTERM, and when the
// bench that forked it goes away (the IPC channel closes).
import fs from "node:fs";
import { killGroup } from "../server/uml/kernel-process";
import { nudgeWhenStalled } from "./kernel-nudge";
import { spawnRawKernel } from "./raw-kernel-pty";

const [image] = process.argv.slice(2);
const { term, dir } = spawnRawKernel(image, "raw");

function shutdown(code: number): never {
  killGroup(term.pid, "SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}
process.on("SIGINT", () => shutdown(130));
process.on("SIGTERM", () => shutdown(143));
process.on("disconnect", () => shutdown(0));

let received = 0;
let tail = "";
let onData: (() => void) | null = null;
term.onData((d) => {
  received += d.length;
  tail = (tail + d).slice(-64);
  onData?.();
});
const nudge = nudgeWhenStalled(
  () => term.pid,
  () => received,
  () => onData !== null,
);
const until = (cond: () => boolean) =>
  new Promise<void>((resolve) => {
    onData = () => {
      if (!cond()) return;
      onData = null;
      resolve();
    };
  });

process.on("message", async (msg: { cmd: string; n?: number; gapMs?: number; command?: string; marker?: string }) => {
  if (msg.cmd === "stream") {
    received = 0;
    tail = "";
    nudge.take();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    term.write(msg.command!);
    await until(() => tail.includes(msg.marker!));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    process.send!({ bytes: received, seconds, cpu: (cpu.user + cpu.system) / 1e6, nudges: nudge.take() });
  } else if (msg.cmd === "echo") {
    const latency: number[] = [];
    let nudged = 0;
    for (let i = 0; i < msg.n!; i++) {
      received = 0;
      const t0 = performance.now();
      const echoed = until(() => received > 0);
      term.write(i % 2 ? "\x7f" : "a");
      await echoed;
      // An echo the kernel only gave after a nudge measures its lost wake-up: counted, not timed.
      if (nudge.take()) nudged++;
      else latency.push(performance.now() - t0);
      if (msg.gapMs) await new Promise((r) => setTimeout(r, msg.gapMs));
    }
    // Keys alternate typing and erasing: after an odd number one is left on the line, and the
    // next command typed would start with it. It is erased, untimed.
    if (msg.n! % 2) {
      received = 0;
      const erased = until(() => received > 0);
      term.write("\x7f");
      await erased;
    }
    process.send!({ latency, nudged });
  } else if (msg.cmd === "exit") {
    shutdown(0);
  }
});

until(() => /:\/# (\x1b\[6n)?$/.test(tail)).then(() =>
  setTimeout(() => process.send!({ ready: true, kernelPid: term.pid }), 1000),
);
