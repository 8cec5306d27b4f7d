// What the user-mode network costs, measured in one run against the physical limits:
//   boot:        raw linux.uml on a pty (no network) vs through Corral with network "none"
//                and with "user" (its own namespaces and slirp4netns);
//   guest→host:  the guest wgets N MiB from an HTTP server on the host's loopback (as
//                10.0.2.2) vs the host fetching the same over loopback;
//   host→guest:  the host reads N MiB from a server in the guest through a port forward vs
//                from a server on its own loopback.
// Downloads are timed from the request's arrival at the server to the last byte (the guest's
// by its shell echoing a marker); reads through the forward from first byte to last. In MiB/s.
// Traffic never leaves 127.0.0.0/8 and slirp.
// Usage: npm run bench:network [-- runs MiB]   (defaults 5 and 64)
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort, TestDaemon, type ConsoleTap, type TestSocket } from "../server/test-support/daemon-harness";
import { rawBoot } from "./raw-boot";

const runs = Number(process.argv[2] ?? 5);
const mib = Number(process.argv[3] ?? 64);
const bytes = mib * 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (ms: number) => mib / (ms / 1000);
const chunk = Buffer.alloc(64 * 1024);

/** Resolves with the time the console first matches — on the data event, not a poll. */
function seen(s: TestSocket, tap: ConsoleTap, pattern: RegExp): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (!pattern.test(tap.output)) return;
      s.off("console:data", check);
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

/** Reads `bytes` from a TCP port, first byte to last (ms); null when nothing answered yet. */
function readFrom(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    let got = 0;
    let first = 0;
    sock.on("data", (d) => {
      if (!first) first = performance.now();
      got += d.length;
      if (got >= bytes) {
        sock.destroy();
        resolve(performance.now() - first);
      }
    });
    sock.on("error", () => resolve(null));
    sock.on("close", () => resolve(null));
  });
}

async function retry(what: string, f: () => Promise<number | null>): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const v = await f();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: no answer`);
}

async function main() {
  const daemon = new TestDaemon({ CORRAL_GUEST_HOST_LOOPBACK: "1" });
  await daemon.start();
  let arrived = 0;
  const server = blobServer(() => (arrived = performance.now()));
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bench-cow-"));
  const boot = { raw: [] as number[], none: [] as number[], user: [] as number[] };
  const down = { host: [] as number[], guest: [] as number[] };
  const up = { host: [] as number[], guest: [] as number[] };
  const s = await daemon.socket();
  const binary = path.resolve("vendor/kernel/linux.uml");
  const image = path.join(daemon.dataDir, "images/busybox.img");
  try {
    for (let i = 0; i < runs; i++) {
      boot.raw.push(await rawBoot(binary, image, scratch, i));
      for (const network of ["none", "user"] as const) {
        const hostPort = await freePort();
        const forwards = network === "user" ? [{ protocol: "tcp", hostPort, guestPort: 8080 }] : [];
        const g = await daemon.createGuest(`net-${network}-${i}`, { network, forwards });
        const tap = await daemon.attachConsole(s, g.id);
        const t0 = performance.now();
        await daemon.api("POST", `/api/guests/${g.id}/start`);
        boot[network].push((await seen(s, tap, /:\/# (\x1b\[6n)?$/)) - t0);

        if (network === "user") {
          down.host.push((await fetchFromHost(port)) - arrived);

          const done = seen(s, tap, new RegExp(`GOT-${i}-2`));
          await tap.type(`wget -q -O /dev/null http://10.0.2.2:${port}/ && echo GOT-${i}-$((1+1))\r`);
          down.guest.push((await done) - arrived);

          const local = net.createServer((c) => {
            const pump = () => {
              while (c.write(chunk) && !c.destroyed);
            };
            c.on("drain", pump);
            c.on("error", () => {});
            pump();
          });
          await new Promise<void>((r) => local.listen(0, "127.0.0.1", r));
          up.host.push(await retry("loopback server", () => readFrom((local.address() as net.AddressInfo).port)));
          local.close();
          await tap.type(`dd if=/dev/zero bs=64k count=${mib * 16 + 64} 2>/dev/null | nc -l -p 8080\r`);
          up.guest.push(await retry("the guest's server", () => readFrom(hostPort)));
        }
        await daemon.api("POST", `/api/guests/${g.id}/force-off`);
        await daemon.waitForState(g.id, "stopped");
        await daemon.api("DELETE", `/api/guests/${g.id}`);
      }
    }
  } finally {
    server.close();
    await daemon.cleanup();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const [r, n, u] = [median(boot.raw), median(boot.none), median(boot.user)];
  console.log(`boot to shell prompt, median of ${runs} (ms): raw pty ${r.toFixed(0)}`);
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
  line("host reads from the guest (TCP through a port forward)", up.host, up.guest);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
