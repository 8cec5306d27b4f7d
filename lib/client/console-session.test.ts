import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { ACK_EVERY_CHARS, ACK_WITHIN_MS } from "../shared/console-acks";
import { ConsoleSession, type ConsoleSessionState } from "./console-session";

/** Enough of a socket.io client: incoming events are emitted locally, outgoing ones recorded. */
class FakeSocket {
  private readonly local = new EventEmitter();
  connected = true;
  sent: Array<{ event: string; payload: Record<string, unknown>; ack?: (r: unknown) => void }> = [];
  on(e: string, f: (...a: unknown[]) => void) {
    this.local.on(e, f);
  }
  off(e: string, f: (...a: unknown[]) => void) {
    this.local.off(e, f);
  }
  emit(event: string, payload: Record<string, unknown>, ack?: (r: unknown) => void) {
    this.sent.push({ event, payload, ack });
  }
  receive(event: string, payload?: unknown) {
    this.local.emit(event, payload);
  }
  last(event: string) {
    return [...this.sent].reverse().find((s) => s.event === event)!;
  }
}

function setup() {
  const socket = new FakeSocket();
  const written: string[] = [];
  const pending: Array<() => void> = [];
  const term = {
    write: (d: string, cb?: () => void) => {
      written.push(d);
      if (cb) pending.push(cb);
    },
    cols: 80,
    rows: 24,
    atLineStart: () => true,
  };
  const states: ConsoleSessionState[] = [];
  const s = new ConsoleSession(socket as never, "g1", term, {
    readOnly: false,
    name: "me",
    emptyHint: "(empty)",
    onState: (st) => states.push(st),
  });
  const parsed = () => pending.splice(0).forEach((cb) => cb());
  return { socket, written, s, states, parsed, term };
}

describe("ConsoleSession", () => {
  it("acknowledges output only once the terminal has parsed it: a snapshot at once, data a window at a time", () => {
    vi.useFakeTimers();
    try {
      const { socket, s, parsed } = setup();
      const acked = () => socket.sent.filter((x) => x.event === "console:ack").map((x) => x.payload.seq);
      s.start();
      socket.last("console:attach").ack!({ ok: true, viewerId: "v", role: "writer", epoch: "e1", mode: "snapshot" });
      socket.receive("console:snapshot", {
        guestId: "g1",
        epoch: "e1",
        seq: 4,
        bootNumber: 1,
        screen: "hello",
        resynced: false,
      });
      socket.receive("console:data", { guestId: "g1", epoch: "e1", seq: 6, items: ["a", "b"] });
      socket.receive("console:data", { guestId: "g1", epoch: "e1", seq: 7, items: ["c"] });
      vi.advanceTimersByTime(ACK_WITHIN_MS * 2);
      expect(acked()).toEqual([]);
      parsed();
      expect(acked()).toEqual([4]);
      vi.advanceTimersByTime(ACK_WITHIN_MS);
      expect(acked()).toEqual([4, 7]);
      // A window's worth of output is acked as soon as it is parsed, without waiting.
      socket.receive("console:data", { guestId: "g1", epoch: "e1", seq: 9, items: ["x".repeat(ACK_EVERY_CHARS)] });
      parsed();
      expect(acked()).toEqual([4, 7, 9]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("after a reconnect asks to resume from the last number and writes only what follows, once", () => {
    const { socket, s, written } = setup();
    s.start();
    socket.last("console:attach").ack!({ ok: true, viewerId: "v", role: "writer", epoch: "e1", mode: "snapshot" });
    socket.receive("console:snapshot", {
      guestId: "g1",
      epoch: "e1",
      seq: 2,
      bootNumber: 1,
      screen: "S",
      resynced: false,
    });
    socket.receive("console:data", { guestId: "g1", epoch: "e1", seq: 3, items: ["x"] });
    socket.receive("disconnect");
    socket.receive("connect");
    expect(socket.last("console:attach").payload.resume).toEqual({ epoch: "e1", seq: 3 });
    socket.last("console:attach").ack!({ ok: true, viewerId: "v2", role: "writer", epoch: "e1", mode: "resume" });
    socket.receive("console:data", { guestId: "g1", epoch: "e1", seq: 3, items: ["x"] }); // duplicate: ignored
    socket.receive("console:data", { guestId: "g1", epoch: "e1", seq: 5, items: ["y", { boot: 2 }] });
    expect(written).toEqual(["\x1bcS", "x", "y\r\n\x1b[2m──── boot 2 ────\x1b[0m\r\n"]);
  });

  it("says so when a reconnect could not resume and the screen was replaced", () => {
    const { socket, s, states } = setup();
    s.start();
    socket.last("console:attach").ack!({ ok: true, viewerId: "v", role: "writer", epoch: "e1", mode: "snapshot" });
    socket.receive("console:snapshot", {
      guestId: "g1",
      epoch: "e1",
      seq: 2,
      bootNumber: 1,
      screen: "S",
      resynced: false,
    });
    socket.receive("disconnect");
    socket.receive("connect");
    socket.last("console:attach").ack!({ ok: true, viewerId: "v", role: "writer", epoch: "e2", mode: "snapshot" });
    socket.receive("console:snapshot", {
      guestId: "g1",
      epoch: "e2",
      seq: 9,
      bootNumber: 1,
      screen: "T",
      resynced: false,
    });
    expect(states.at(-1)?.notice).toMatch(/^Resynced/);
  });

  it("does not send a watcher's keys while someone else types, and tells them why", () => {
    const { socket, s, states } = setup();
    s.start();
    socket.last("console:attach").ack!({ ok: true, viewerId: "me", role: "watcher", epoch: "e1", mode: "resume" });
    socket.receive("console:viewers", {
      guestId: "g1",
      writerId: "alice",
      viewers: [
        { id: "alice", name: "alice", role: "writer" },
        { id: "me", name: "me", role: "watcher" },
      ],
    });
    s.input("ls\r");
    expect(socket.sent.some((x) => x.event === "console:input")).toBe(false);
    expect(states.at(-1)?.notice).toMatch(/alice is typing/);
    socket.receive("console:viewers", {
      guestId: "g1",
      writerId: "me",
      viewers: [],
      control: { to: "me", from: "alice" },
    });
    s.input("ls\r");
    expect(socket.last("console:input").payload).toEqual({ guestId: "g1", data: "ls\r" });
    expect(socket.last("console:resize").payload).toEqual({ guestId: "g1", cols: 80, rows: 24 });
  });

  it("gives the guest the size the terminal was fitted to while attaching, and nothing when it did not change", () => {
    const { socket, s, term } = setup();
    s.start();
    expect(socket.last("console:attach").payload).toMatchObject({ cols: 80, rows: 24 });
    // The terminal's first fit lands before the attach is answered: not sent yet.
    term.cols = 124;
    term.rows = 30;
    s.resize(124, 30);
    expect(socket.sent.some((x) => x.event === "console:resize")).toBe(false);
    socket.last("console:attach").ack!({ ok: true, viewerId: "me", role: "writer", epoch: "e1", mode: "snapshot" });
    socket.receive("console:snapshot", {
      guestId: "g1",
      epoch: "e1",
      seq: 1,
      bootNumber: 1,
      screen: "",
      resynced: false,
    });
    expect(socket.sent.filter((x) => x.event === "console:resize").map((x) => x.payload)).toEqual([
      { guestId: "g1", cols: 124, rows: 30 },
    ]);
    s.resize(124, 30);
    expect(socket.sent.filter((x) => x.event === "console:resize")).toHaveLength(1);
  });
});
