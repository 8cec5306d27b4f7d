// What the user-mode network costs, measured in one run against the physical limits:
//   boot:        raw linux.uml on a pty (no network) vs through Corral with network "none"
//                and with "user" (its own namespaces and slirp4netns);
//   guest→host:  the guest wgets N MiB from an HTTP server on the host's loopback (as
//                10.0.2.2) vs the host fetching the same over loopback;
//   host→guest:  the host GETs N MiB from busybox httpd in the guest through a port forward
//                vs from the server on its own loopback.
// Downloads are timed from the request's arrival at the server to the last byte (the guest's
// by its shell echoing a marker); reads through the forward from first byte to last. In MiB/s.
// Every guest (and the raw baseline) gets N + 128 MiB of memory; the guest serves from tmpfs.
// Traffic never leaves 127.0.0.0/8 and slirp.
// With kind `context`, the guests are containers (LXC) and the boot baseline is network none.
// Usage: npm run bench:network [-- runs MiB kind]   (defaults 5, 64 and uml)
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort, TestDaemon, type ConsoleTap, type TestSocket } from "../server/test-support/daemon-harness";
import { cleanUp, onCleanup } from "./guest-storms";
import { rawBoot } from "./raw-boot";

const runs = Number(process.argv[2] ?? 5);
const mib = Number(process.argv[3] ?? 64);
const kind = process.argv[4] === "context" ? "context" : "uml";
const bytes = mib * 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (ms: number) => mib / (ms / 1000);
const chunk = Buffer.alloc(64 * 1024);
/** Room for the guest's page cache to hold the file it serves. */
const MEMORY_MIB = mib + 128;

/** Resolves with the time the console first matches — on the data event, not a poll. */
function seen(s: TestSocket, tap: ConsoleTap, pattern: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} on the console:\n${tap.output.slice(-500)}`)),
      120_000,
    );
    const check = () => {
      if (!pattern.test(tap.output)) return;
      s.off("console:data", check);
      clearTimeout(timer);
      resolve(performance.now());
    };
    s.on("console:data", check);
    check();
  });
}

/** Sends `bytes` zeros, recording when the request arrived. */
function blobServer(onRequest: () => void): http.Server {
  return http.createServer((_req, res) => {
    onRequest();
    res.writeHead(200, { "content-length": bytes });
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(chunk.subarray(0, n))) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
}

/** The host's own download from the blob server: when its last byte arrived. */
function fetchFromHost(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/`, (res) => res.resume().on("end", () => resolve(performance.now())))
      .on("error", reject);
  });
}

/** GETs a URL on the host's loopback: first byte to last (ms), and how many bytes came. */
function httpRead(port: number, path: string): Promise<{ ms: number; got: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}${path}`, (res) => {
        let first = 0;
        let got = 0;
        res.on("data", (d: Buffer) => {
          first ||= performance.now();
          got += d.length;
        });
        res.on("end", () => resolve({ ms: performance.now() - first, got }));
      })
      .on("error", reject);
  });
}

async function main() {
  const daemon = new TestDaemon({ CORRAL_GUEST_HOST_LOOPBACK: "1" });
  // Ended on SIGINT, SIGTERM, an error or the end (newest first): the daemon stops its guests.
  onCleanup(() => daemon.cleanup());
  await daemon.start();
  let arrived = 0;
  const server = blobServer(() => (arrived = performance.now()));
  onCleanup(() => void server.close());
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bench-cow-"));
  onCleanup(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const boot = { raw: [] as number[], none: [] as number[], user: [] as number[] };
  const down = { host: [] as number[], guest: [] as number[] };
  const up = { host: [] as number[], guest: [] as number[] };
  const s = await daemon.socket();
  const binary = path.resolve("vendor/kernel/linux.uml");
  const image = path.join(daemon.dataDir, "images/busybox.img");
  try {
    for (let i = 0; i < runs; i++) {
      if (kind === "uml") boot.raw.push(await rawBoot(binary, image, scratch, i, MEMORY_MIB));
      for (const network of ["none", "user"] as const) {
        const hostPort = await freePort();
        const forwards = network === "user" ? [{ protocol: "tcp", hostPort, guestPort: 8080 }] : [];
        const g = await daemon.createGuest(`net-${network}-${i}`, { kind, network, forwards, memoryMiB: MEMORY_MIB });
        const tap = await daemon.attachConsole(s, g.id);
        const t0 = performance.now();
        await daemon.api("POST", `/api/guests/${g.id}/start`);
        boot[network].push((await seen(s, tap, /:\/# (\x1b\[6n)?$/)) - t0);

        if (network === "user") {
          down.host.push((await fetchFromHost(port)) - arrived);

          const done = seen(s, tap, new RegExp(`GOT-${i}-2`));
          await tap.type(`wget -q -O /dev/null http://10.0.2.2:${port}/ && echo GOT-${i}-$((1+1))\r`);
          down.guest.push((await done) - arrived);

          up.host.push((await httpRead(port, "/")).ms);
          // busybox httpd (sendfile) serving a file from the guest's RAM (tmpfs): nc would measure
          // busybox nc's 1 KiB reads, which top out near 4 MiB/s even on the guest's loopback.
          await tap.type(
            `mkdir -p /www && mount -t tmpfs -o size=${mib + 8}m tmpfs /www && dd if=/dev/zero of=/www/blob bs=64k count=${mib * 16} 2>/dev/null && ` +
              `httpd -p 8080 -h /www && echo SERVING-${i}-$((1+1))\r`,
          );
          await seen(s, tap, new RegExp(`SERVING-${i}-2`));
          const viaForward = await httpRead(hostPort, "/blob");
          if (viaForward.got !== bytes) throw new Error(`the guest's server sent ${viaForward.got} bytes`);
          up.guest.push(viaForward.ms);
        }
        await daemon.api("POST", `/api/guests/${g.id}/force-off`);
        await daemon.waitForState(g.id, "stopped");
        await daemon.api("DELETE", `/api/guests/${g.id}`);
      }
    }
  } finally {
    await cleanUp();
  }
  const [n, u] = [median(boot.none), median(boot.user)];
  // A container has no raw-pty twin: its baseline is itself without a network.
  const r = kind === "uml" ? median(boot.raw) : n;
  console.log(
    `${kind} guests; boot to shell prompt, median of ${runs} (ms): baseline ${kind === "uml" ? "raw pty" : "network none"} ${r.toFixed(0)}`,
  );
  console.log(`  through Corral, network none: ${n.toFixed(0)} (ratio ${(n / r).toFixed(2)})`);
  console.log(
    `  through Corral, network user: ${u.toFixed(0)} (ratio ${(u / r).toFixed(2)}; +${(u - n).toFixed(0)} ms)`,
  );
  const line = (what: string, base: number[], via: number[]) => {
    const [b, v] = [rate(median(base)), rate(median(via))];
    console.log(`${what}, ${mib} MiB, median of ${runs} (MiB/s): host loopback ${b.toFixed(0)}, guest ${v.toFixed(1)}`);
    console.log(
      `  ratio guest/loopback: ${(v / b).toFixed(3)}   samples: ${via.map((x) => rate(x).toFixed(1)).join(" ")}`,
    );
  };
  line("guest downloads from the host (HTTP over slirp)", down.host, down.guest);
  line("host reads from the guest (HTTP through a port forward)", up.host, up.guest);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
