// The daemon's bounds, measured: the largest body each route accepts (one byte more is
// refused), and the event-loop delay inside the daemon (p99, perf_hooks, read from its
// admin-only /api/host/event-loop) while it is idle — the baseline, same run — during a
// fuzz run of generated bad requests and socket events, and while large boot logs are read
// as text. Ends in bounded time; Ctrl-C cleans up.
// Usage: npm run bench:bounds [-- runsPerRoute]   (default 40)
import fc from "fast-check";
import { createHttpApp, type HttpDeps } from "../server/http/app";
import { SOCKET_EVENTS } from "../server/realtime/socket-table";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { WEB_ORIGIN } from "../server/test-support/daemon-session";
import { growBootLog } from "../server/test-support/big-log";
import {
  badRequests,
  badSocketArgs,
  bodyBound,
  madeUpPath,
  sendFuzzRequest,
  type FuzzTargets,
} from "../server/test-support/fuzz-requests";
import { rawRequest } from "../server/test-support/raw-http";
import type { EventLoopDelayView } from "../lib/shared/protocol";

const RUNS = Number(process.argv[2] ?? 40);
const UPLOAD_MAX_MIB = 8; // measured small; the bound is CORRAL_UPLOAD_MAX_MIB either way
const LOG_LINES = 400_000; // about 40 MB of cast
const IDLE_MS = 5_000;

const daemon = new TestDaemon({
  CORRAL_UPLOAD_MAX_MIB: String(UPLOAD_MAX_MIB),
  CORRAL_METRICS_INTERVAL_SECONDS: "0",
  CORRAL_LOG_LEVEL: "info",
});
let cleaning: Promise<void> | null = null;
const cleanup = () => (cleaning ??= daemon.cleanup());
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => void cleanup().then(() => process.exit(130)));

const progress = (s: string) => process.stderr.write(`  ${s}\n`);

async function eventLoop(action: "reset" | "read"): Promise<EventLoopDelayView> {
  const r = await daemon.api<EventLoopDelayView>(
    action === "reset" ? "POST" : "GET",
    `/api/host/event-loop${action === "reset" ? "/reset" : ""}`,
  );
  return r.body;
}

async function measure(
  what: string,
  work: () => Promise<string>,
): Promise<EventLoopDelayView & { what: string; note: string }> {
  progress(`${what} …`);
  await eventLoop("reset");
  const note = await work();
  return { what, note, ...(await eventLoop("read")) };
}

async function largestAccepted(targets: FuzzTargets): Promise<Array<[string, string]>> {
  const routes = createHttpApp(new Proxy({}, { get: () => ({}) }) as HttpDeps).routes;
  const rows: Array<[string, string]> = [];
  for (const route of routes) {
    const max = bodyBound(route, UPLOAD_MAX_MIB * 1024 * 1024);
    // A made-up id everywhere: nothing is acted on. The upload gets a name no image has.
    const path = madeUpPath(route.path);
    const url = route.body.kind === "stream" ? `${path}?name=bench-probe` : path;
    const type = route.body.kind === "stream" ? "application/octet-stream" : "application/json";
    // JSON with a field no route takes, padded to size: read, then refused for what it says.
    const probe = route.body.kind === "stream" ? "" : '{"x-not-a-field":1}';
    const send = (n: number) =>
      rawRequest({
        port: daemon.port,
        method: route.method,
        path: url,
        headers: { cookie: targets.cookie, origin: WEB_ORIGIN, "content-type": type, "content-length": String(n) },
        body: probe.slice(0, n) + " ".repeat(Math.max(0, n - probe.length)),
      });
    // A GET's body is never read: a GET with any body is refused.
    const largest = route.method === "GET" ? 0 : max;
    const over = await send(largest + 1);
    const at = largest ? await send(largest) : null;
    const fits = over.status === 413 && (at === null || at.status !== 413);
    rows.push([
      `${route.method} ${route.path}`,
      fits
        ? `${largest} bytes${route.body.kind === "none" && largest ? " (no options: {} at most)" : ""}`
        : `?? (${largest}: ${at?.status}, ${largest + 1}: ${over.status})`,
    ]);
  }
  return rows;
}

async function fuzz(targets: FuzzTargets): Promise<string> {
  const routes = createHttpApp(new Proxy({}, { get: () => ({}) }) as HttpDeps).routes;
  let sent = 0;
  let wrong = 0;
  for (const route of routes) {
    const max = bodyBound(route, UPLOAD_MAX_MIB * 1024 * 1024);
    for (const req of fc.sample(badRequests(route, targets, max), RUNS)) {
      const r = await sendFuzzRequest(daemon.port, req);
      sent++;
      if (r.status < 400 || r.status > 499) wrong++;
    }
  }
  const s = await daemon.socket();
  for (const event of Object.keys(SOCKET_EVENTS) as Array<keyof typeof SOCKET_EVENTS>) {
    for (const args of fc.sample(badSocketArgs(SOCKET_EVENTS[event].payload !== null, targets.guestId), RUNS)) {
      const timed = s.timeout(10_000) as unknown as {
        emitWithAck(e: string, ...a: unknown[]): Promise<{ ok: boolean }>;
      };
      const reply = await timed.emitWithAck(event, ...args);
      sent++;
      if (reply.ok !== false) wrong++;
    }
  }
  s.close();
  return `${sent} bad requests and events, ${wrong} not refused`;
}

async function largeLogs(guestId: string): Promise<string> {
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${daemon.url}/api/guests/${guestId}/boots/1/log?format=text`, {
      headers: { cookie: await daemon.admin() },
    });
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  }
  return `3 × ${(bytes / 3 / 1e6).toFixed(1)} MB of text`;
}

async function main(): Promise<void> {
  progress("starting a daemon");
  await daemon.start();
  const cookie = await daemon.admin();
  const guest = await daemon.createGuest("bench-target", { network: "none" });
  const me = await daemon.api("GET", "/api/auth/me");
  const targets: FuzzTargets = {
    guestId: guest.id,
    imageId: await daemon.defaultImageId(),
    userId: me.body.user.id,
    cookie,
    origin: WEB_ORIGIN,
  };

  progress("a boot with a large log");
  const logged = await daemon.createGuest("bench-log", { network: "none" });
  await daemon.startGuest(logged.id);
  await daemon.api("POST", `/api/guests/${logged.id}/force-off`);
  await daemon.waitForState(logged.id, "stopped");
  await growBootLog(daemon, logged.id, 1, LOG_LINES);

  progress("largest accepted body per route");
  const bounds = await largestAccepted(targets);
  const phases = [
    await measure("idle (baseline)", async () => {
      await new Promise((r) => setTimeout(r, IDLE_MS));
      return `${IDLE_MS / 1000} s, nothing asked`;
    }),
    await measure("fuzz run", () => fuzz(targets)),
    await measure("large boot logs as text", () => largeLogs(logged.id)),
  ];

  console.log(
    `\nLargest accepted request body per route (one byte more: 413); upload measured with CORRAL_UPLOAD_MAX_MIB=${UPLOAD_MAX_MIB}`,
  );
  const width = Math.max(...bounds.map(([r]) => r.length));
  for (const [route, size] of bounds) console.log(`  ${route.padEnd(width)}  ${size}`);
  console.log(
    `\nEvent-loop delay inside the daemon (monitorEventLoopDelay: how late a timer ran), ${RUNS} runs per route and event`,
  );
  const base = phases[0].p99Ms;
  for (const p of phases)
    console.log(
      `  ${p.what.padEnd(24)} p50 ${p.p50Ms.toFixed(1).padStart(6)} ms  p99 ${p.p99Ms.toFixed(1).padStart(6)} ms  ` +
        `max ${p.maxMs.toFixed(1).padStart(7)} ms  p99 ratio to idle ${base > 0 ? (p.p99Ms / base).toFixed(2) : "—"}  (${p.note})`,
    );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
