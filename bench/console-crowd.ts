// Console viewers for bench/console.ts in a process of their own, as a raw reader has its own:
// in the bench's process they would share its event loop with the writer and the bench itself,
// and the slowest viewer would measure that loop, not the daemon. Driven over IPC:
//   { cmd: "attach", url, credential, guestId, names } → { attached: n }
//   { cmd: "arm", marker }  → { armed: true }; then each viewer waits for the marker (or a resync
//                             showing it) → { done: [{ bytes, at, messages }], resyncs, cpu } once all have,
// `at` in ms since the epoch (performance.timeOrigin + now: comparable across processes).
// It exits when the bench that forked it goes away (the IPC channel closes).
import { attachTap, connectSocket, type ConsoleTap, type TestSocket } from "../server/test-support/console-tap";
import { markerSeen, outputWhere } from "./console-rig";

type Msg =
  { cmd: "attach"; url: string; credential: string; guestId: string; names: string[] } | { cmd: "arm"; marker: string };

const viewers: Array<{ s: TestSocket; tap: ConsoleTap }> = [];
const send = (m: unknown) => void process.send!(m);
const now = () => performance.timeOrigin + performance.now();

process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0)); // exiting, not killed: a CPU profile is written
process.on("message", (msg: Msg) => {
  void handle(msg).catch((err) => send({ error: err instanceof Error ? err.message : String(err) }));
});

async function handle(msg: Msg): Promise<void> {
  if (msg.cmd === "attach") {
    for (const name of msg.names) {
      const s = await connectSocket(msg.url, msg.credential);
      viewers.push({ s, tap: await attachTap(s, msg.guestId, null, { name }) });
    }
    return send({ attached: viewers.length });
  }
  const before = viewers.map(({ tap }) => tap.output.length);
  const resyncs0 = viewers.map(({ tap }) => tap.resyncs);
  const messages0 = viewers.map(({ tap }) => tap.messages);
  const cpu0 = process.cpuUsage();
  const finished = Promise.all(
    viewers.map(({ s, tap }, i) => {
      const seen = markerSeen(tap, msg.marker, before[i]);
      const resynced = () => tap.resyncs > resyncs0[i] && tap.snapshot.includes(msg.marker.trim());
      return outputWhere(s, () => seen() || resynced()).then(() => ({
        bytes: tap.output.length - before[i],
        at: now(),
        messages: tap.messages - messages0[i],
      }));
    }),
  );
  send({ armed: true });
  const done = await finished;
  const cpu = process.cpuUsage(cpu0);
  send({
    done,
    resyncs: viewers.reduce((n, { tap }, i) => n + tap.resyncs - resyncs0[i], 0),
    cpu: (cpu.user + cpu.system) / 1e6,
  });
}
