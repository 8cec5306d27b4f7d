import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KeeperServer } from "./keeper-server";
import { LineChannel } from "./line-channel";
import { keeperJournalSchema, type KeeperJournal } from "./protocol";

const left: KeeperJournal = {
  seq: 7,
  journal: [
    { seq: 6, guestId: "g1", event: { kind: "ready", boot: 2, at: 1_000, via: "init" } },
    {
      seq: 7,
      guestId: "g1",
      event: {
        kind: "exited",
        boot: 2,
        at: 2_000,
        logBytes: 10,
        exitCode: 0,
        signal: 9,
        panic: null,
        consoleSaid: null,
      },
    },
  ],
  ended: [
    {
      guestId: "g1",
      pid: 4242,
      bootNumber: 2,
      bootStartedAt: 500,
      ready: true,
      exited: true,
      cols: 80,
      rows: 24,
      tail: "$ ",
    },
  ],
};

/** A daemon's side of the wire: requests by id, pushed events collected. */
async function attach(socketPath: string) {
  const socket = net.createConnection(socketPath);
  await new Promise((r) => socket.once("connect", r));
  const replies = new Map<number, (msg: { ok: boolean; result?: unknown }) => void>();
  const events: Array<{ seq: number; guestId: string }> = [];
  const channel = new LineChannel(socket, (raw) => {
    const msg = raw as { type: string; id: number; seq: number; guestId: string; ok: boolean; result?: unknown };
    if (msg.type === "reply") replies.get(msg.id)?.(msg);
    if (msg.type === "event") events.push(msg);
  });
  let id = 0;
  const request = (op: string, extra: object = {}) =>
    new Promise<{ ok: boolean; result?: unknown }>((resolve) => {
      replies.set(++id, resolve);
      channel.send({ op, id, ...extra });
    });
  return { socket, events, request };
}

describe("a keeper's journal handed to the next keeper", () => {
  let dir = "";
  let server: KeeperServer | null = null;
  afterEach(() => {
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports the ended kernels and replays their events until acknowledged, then holds nothing", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-keeper-journal-"));
    const idle: string[] = [];
    server = new KeeperServer(path.join(dir, "keeper.sock"), () => idle.push("idle"), structuredClone(left));
    await server.listen();
    expect(server.unacknowledged()).toEqual(left);

    const daemon = await attach(path.join(dir, "keeper.sock"));
    const hello = await daemon.request("hello");
    expect((hello.result as { guests: unknown[] }).guests).toEqual(left.ended);
    await daemon.request("replay");
    await expect.poll(() => daemon.events.map((e) => e.seq)).toEqual([6, 7]);

    await daemon.request("ack", { seq: 6 });
    expect(server.unacknowledged()?.journal.map((e) => e.seq)).toEqual([7]);
    expect(server.unacknowledged()?.ended).toHaveLength(1); // its end is not heard yet
    await daemon.request("ack", { seq: 7 });
    expect(server.unacknowledged()).toBeNull();
    expect(((await daemon.request("hello")).result as { guests: unknown[] }).guests).toEqual([]);
    daemon.socket.destroy();
  });

  it("reads back what it writes, and refuses a journal that is not one", () => {
    expect(keeperJournalSchema.parse(JSON.parse(JSON.stringify(left)))).toEqual(left);
    expect(keeperJournalSchema.safeParse({ seq: 1, journal: [{ seq: 1, guestId: "g" }], ended: [] }).success).toBe(
      false,
    );
    expect(keeperJournalSchema.safeParse({ ...left, ended: [{ ...left.ended[0], exited: false }] }).success).toBe(
      false,
    );
  });
});
