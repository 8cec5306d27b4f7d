import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon, type TestSocket } from "../test-support/daemon-harness";
import { WEB_ORIGIN } from "../test-support/daemon-session";
import { daemonState, stateChanges, type DaemonState } from "../test-support/daemon-state";
import {
  badRequests,
  badSocketArgs,
  bodyBound,
  sendFuzzRequest,
  type FuzzTargets,
} from "../test-support/fuzz-requests";
import type { RawResult } from "../test-support/raw-http";
import { SOCKET_EVENTS } from "../realtime/socket-table";
import { createHttpApp, type HttpDeps } from "./app";

// Driven by the route table and the socket event table: a route or event added later is
// fuzzed without being listed here. Runs are sized to finish in a minute or two on a slow
// machine; CORRAL_FUZZ_RUNS raises them for a longer hunt.
const RUNS = Number(process.env.CORRAL_FUZZ_RUNS || 25);
const UPLOAD_MAX_MIB = 1;

function refusal(r: RawResult): string | null {
  const e = r.json?.error;
  if (r.status < 400 || r.status > 499) return `status ${r.status}`;
  if (!String(r.headers["content-type"]).startsWith("application/json")) return "not JSON";
  if (typeof e?.code !== "string" || typeof e?.message !== "string" || !e.message.trim()) return "no error shape";
  return null;
}

describe("fuzz: bad input to every route and socket event is refused and changes nothing (real daemon)", () => {
  // Sampling off: it writes rows on its own every few seconds.
  const daemon = new TestDaemon({
    CORRAL_UPLOAD_MAX_MIB: String(UPLOAD_MAX_MIB),
    CORRAL_METRICS_INTERVAL_SECONDS: "0",
  });
  const routes = createHttpApp(new Proxy({}, { get: () => ({}) }) as HttpDeps).routes;
  let targets: FuzzTargets;
  let before: DaemonState;
  const health = { answered: 0, failed: [] as string[], stop: false, done: Promise.resolve() };

  // The audit trail records refused attempts by design; everything else must stay as it was.
  const state = () => daemonState(daemon, ["AuditEntry"]);

  beforeAll(async () => {
    await daemon.start();
    const cookie = await daemon.admin();
    const guest = await daemon.createGuest("fuzz-target", { network: "none" });
    const me = await daemon.api("GET", "/api/auth/me");
    targets = {
      guestId: guest.id,
      imageId: await daemon.defaultImageId(),
      userId: me.body.user.id,
      cookie,
      origin: WEB_ORIGIN,
    };
    before = await state();
    health.done = (async () => {
      while (!health.stop) {
        try {
          const r = await fetch(`${daemon.url}/api/health`);
          if (r.status === 200) health.answered++;
          else health.failed.push(`status ${r.status}`);
        } catch (err) {
          health.failed.push(String(err));
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  });
  afterAll(async () => {
    health.stop = true;
    await health.done;
    await daemon.cleanup();
  });

  it("answers generated bad requests on every route with a 4xx in Corral's JSON error shape", async () => {
    for (const route of routes) {
      const max = bodyBound(route, UPLOAD_MAX_MIB * 1024 * 1024);
      await fc.assert(
        fc.asyncProperty(badRequests(route, targets, max), async (req) => {
          const r = await sendFuzzRequest(daemon.port, req);
          const wrong = refusal(r);
          if (wrong)
            throw new Error(
              `${req.method} ${req.path.slice(0, 160)} (bad: ${req.bad.join(", ")}) → ${wrong}: ${r.status} ${r.text.slice(0, 300)}`,
            );
        }),
        { numRuns: RUNS },
      );
    }
  });

  it("answers generated bad input on every socket event with an error reply", async () => {
    const s: TestSocket = await daemon.socket();
    for (const event of Object.keys(SOCKET_EVENTS) as Array<keyof typeof SOCKET_EVENTS>) {
      await fc.assert(
        fc.asyncProperty(badSocketArgs(SOCKET_EVENTS[event].payload !== null, targets.guestId), async (args) => {
          const timed = s.timeout(10_000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<any> };
          const reply = await timed.emitWithAck(event, ...args);
          if (reply?.ok !== false || typeof reply.error !== "string" || !reply.error.trim())
            throw new Error(`${event} ${JSON.stringify(args).slice(0, 200)} → ${JSON.stringify(reply)}`);
        }),
        { numRuns: RUNS },
      );
    }
    expect(s.connected).toBe(true);
  });

  it("answers malformed HTTP, which never reaches a route, in the same JSON shape", async () => {
    const control = fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom("\x00", "\x01", "\x7f", "\x1b") });
    const lines = fc.oneof(
      control.map((c) => `GET /api/guests HTTP/1.1\r\nHost: x\r\nX-Bad: a${c}b\r\n\r\n`),
      fc.nat({ max: 1e9 }).map((n) => `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: ${n}x\r\n\r\n`),
      fc
        .string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(..."!#<>{}") })
        .map((m) => `${m} / HTTP/1.1\r\n\r\n`),
    );
    await fc.assert(
      fc.asyncProperty(lines, async (raw) => {
        const answer = await rawSocketExchange(daemon.port, raw);
        const [head, body] = answer.split("\r\n\r\n");
        if (
          !/^HTTP\/1\.1 4\d\d /.test(head) ||
          !/content-type: application\/json/i.test(head) ||
          !JSON.parse(body).error?.message
        )
          throw new Error(`${JSON.stringify(raw)} → ${JSON.stringify(answer.slice(0, 300))}`);
      }),
      { numRuns: RUNS },
    );
  });

  it("changed nothing, and answered /api/health all along and after", async () => {
    expect(stateChanges(before, await state())).toEqual([]);
    expect(health.failed).toEqual([]);
    expect(health.answered).toBeGreaterThan(0);
    expect((await fetch(`${daemon.url}/api/health`)).status).toBe(200);
  });
});

/** Writes raw bytes to a fresh connection and returns everything the daemon answers until it closes. */
function rawSocketExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(raw));
    let answer = "";
    socket.on("data", (d) => (answer += d));
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
  });
}
