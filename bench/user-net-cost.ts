// What a user-network guest's network costs per boot, without the kernel: a namespace made
// as a kernel's is (scripts/guest-netns.sh, with `sleep` in the kernel's place), then the
// userspace NAT attached to it until ready, held idle for a second, and killed. Modes:
//   none        the namespace alone (subtracted from the others);
//   slirp-join  slirp4netns makes its tap, then nsenter + ip join it to the bridge (before);
//   slirp       slirp4netns opens the tap the script made on the bridge (now);
//   pasta       Debian's passt/pasta opens that tap the same way (addresses 10.0.2.x).
// CPU is this process's reaped children's (utime + stime of everything waited for), per round.
// Usage: npm run bench:user-net [-- rounds]   (default 20; modes alternate)
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const rounds = Number(process.argv[2] ?? 20);
const ALL_MODES = ["none", "slirp-join", "slirp", "pasta"] as const;
type Mode = (typeof ALL_MODES)[number];
const onPath = (program: string) =>
  (process.env.PATH ?? "").split(":").some((d) => d && fs.existsSync(path.join(d, program)));
// pasta comes with Debian's passt package, which Corral itself does not need.
const modes = ALL_MODES.filter((m) => m !== "pasta" || onPath("pasta"));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "user-net-cost-"));
const script = path.join(import.meta.dirname, "../scripts/guest-netns.sh");
const live = new Set<ChildProcess>();

const ticks = 100; // USER_HZ on Linux
function childCpu(): number {
  const f = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(f[13]) + Number(f[14])) / ticks; // cutime, cstime (fields 16, 17)
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within 10 s`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const comm = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};

async function end(p: ChildProcess): Promise<void> {
  const gone = p.exitCode === null && p.signalCode === null ? once(p, "exit") : null;
  p.kill("SIGKILL");
  await gone;
  live.delete(p);
}

async function round(mode: Mode): Promise<{ cpu: number; readyMs: number }> {
  const cpu0 = childCpu();
  const t0 = performance.now();
  // Made without tap0 for slirp-join: slirp4netns then makes its own, as before.
  const ns = spawn("unshare", ["-Urn", "--", "sh", script, "sleep", "30"], { stdio: "ignore" });
  live.add(ns);
  await until("namespace", () => comm(ns.pid!) === "sleep");
  const pid = String(ns.pid);
  let nat: ChildProcess | null = null;
  if (mode === "slirp-join") {
    await run("nsenter", ["-t", pid, "-U", "-n", "--preserve-credentials", "ip", "link", "del", "tap0"]);
  }
  if (mode.startsWith("slirp")) {
    const api = path.join(dir, `${pid}.net`);
    nat = spawn("slirp4netns", ["--api-socket", api, "--ready-fd", "3", "--disable-host-loopback", pid, "tap0"], {
      stdio: ["ignore", "ignore", "ignore", "pipe"],
    });
    live.add(nat);
    await once(nat.stdio[3]!, "data");
    if (mode === "slirp-join")
      await run("nsenter", [
        "-t",
        pid,
        "-U",
        "-n",
        "--preserve-credentials",
        "ip",
        "link",
        "set",
        "tap0",
        "master",
        "br0",
        "up",
      ]);
  } else if (mode === "pasta") {
    // As root, pasta drops to nobody unless told otherwise (and nobody cannot join the namespace).
    const pidFile = path.join(dir, `${pid}.pasta`);
    const args = ["-f", "-q", "--runas", "0:0", "-4", "-I", "tap0", "-a", "10.0.2.15", "-n", "24", "-g", "10.0.2.2"];
    nat = spawn("pasta", [...args, "-t", "none", "-u", "none", "-T", "none", "-U", "none", "-P", pidFile, pid], {
      stdio: "ignore",
    });
    live.add(nat);
    // pasta writes its pid file once set up, just before its main loop (its only sign of being ready).
    await until(
      "pasta's pid file",
      () => nat!.exitCode !== null || (fs.existsSync(pidFile) && fs.statSync(pidFile).size > 0),
    );
    if (nat.exitCode !== null) throw new Error(`pasta exited (${nat.exitCode})`);
  }
  const readyMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 1000));
  if (nat) await end(nat);
  await end(ns);
  return { cpu: childCpu() - cpu0, readyMs };
}

async function main() {
  console.log(
    `user network cost: ${rounds} rounds per mode, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  if (!modes.includes("pasta")) console.log("  pasta is not installed (apt-get install -y passt): measured without it");
  const got = new Map<Mode, Array<{ cpu: number; readyMs: number }>>(modes.map((m) => [m, []]));
  for (let i = 0; i < rounds; i++) {
    for (const m of modes) got.get(m)!.push(await round(m));
    process.stderr.write(`\r  round ${i + 1}/${rounds}   `);
  }
  process.stderr.write("\n");
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = got.get("none")!;
  for (const m of modes) {
    const r = got.get(m)!;
    const cpu = mean(r.map((x) => x.cpu));
    const extra =
      m === "none" ? "" : `, beyond the namespace ${((cpu - mean(base.map((x) => x.cpu))) * 1000).toFixed(1)} ms`;
    console.log(
      `  ${m.padEnd(11)} ready in median ${median(r.map((x) => x.readyMs)).toFixed(1)} ms; CPU ${(cpu * 1000).toFixed(1)} ms per boot${extra}`,
    );
  }
  console.log(
    `  load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
}

async function cleanUp() {
  for (const p of live) p.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
}
for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, () => void cleanUp().then(() => process.exit(130)));
main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(cleanUp);
