import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSocket, type UnixDgramSocket } from "unix-dgram";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MconsoleSession } from "./mconsole-session";

/** A stand-in for a guest's mconsole socket: answers each request with `parts`, or not at all. */
function fakeGuest(file: string, answer: (command: string) => string[] | null): UnixDgramSocket {
  const s = createSocket("unix_dgram", (msg, rinfo) => {
    const command = msg.subarray(12, 12 + msg.readUInt32LE(8)).toString();
    const parts = answer(command);
    parts?.forEach((data, i) => {
      const reply = Buffer.alloc(12 + data.length);
      reply.writeUInt32LE(0, 0);
      reply.writeUInt32LE(i < parts.length - 1 ? 1 : 0, 4);
      reply.writeUInt32LE(data.length, 8);
      reply.write(data, 12);
      s.send(reply, 0, reply.length, rinfo.path!);
    });
  });
  s.bind(file);
  return s;
}

describe("MconsoleSession", () => {
  let dir: string;
  const open: Array<{ close(): void }> = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-mcs-"));
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("asks guests one after another over one socket and joins replies sent in parts", async () => {
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    open.push(
      fakeGuest(a, (c) => [`A:${c}:`, "more"]),
      fakeGuest(b, (c) => [`B:${c}`]),
    );
    const session = new MconsoleSession(dir);
    open.push(session);
    expect(await session.request(a, "proc meminfo", 1000)).toBe("A:proc meminfo:more");
    expect(await session.request(b, "proc loadavg", 1000)).toBe("B:proc loadavg");
    await expect(Promise.all([session.request(a, "x", 1000), session.request(b, "y", 1000)])).rejects.toThrow(/busy/);
  });

  it("sends an exchange's commands at once and returns each whole reply as it came, whatever the order", async () => {
    const g = path.join(dir, "g");
    const asked: string[] = [];
    // Answers only once both requests are in, the second first (as UML does with requests
    // that arrive together), and the first in several parts.
    const guest = createSocket("unix_dgram", (msg, rinfo) => {
      asked.push(msg.subarray(12, 12 + msg.readUInt32LE(8)).toString());
      if (asked.length < 2) return;
      const send = (err: number, more: boolean, data: string) => {
        const reply = Buffer.alloc(12 + data.length);
        reply.writeUInt32LE(err, 0);
        reply.writeUInt32LE(more ? 1 : 0, 4);
        reply.writeUInt32LE(data.length, 8);
        reply.write(data, 12);
        guest.send(reply, 0, reply.length, rinfo.path!);
      };
      send(1, false, "no such file");
      send(0, true, "\n");
      send(0, true, "MemTotal: 1 kB\n");
      send(0, false, "");
    });
    guest.bind(g);
    open.push(guest);
    const session = new MconsoleSession(dir);
    open.push(session);
    const replies = await session.exchange(g, ["proc meminfo", "proc nothing"], 1000);
    expect(asked).toEqual(["proc meminfo", "proc nothing"]);
    expect(replies).toEqual([
      { ok: false, text: "no such file" },
      { ok: true, text: "\nMemTotal: 1 kB\n" },
    ]);
  });

  it("refuses a guest that timed out, so its late reply cannot answer a later request", async () => {
    const slow = path.join(dir, "slow");
    let late: (() => void) | null = null;
    const guest = createSocket("unix_dgram", (_msg, rinfo) => {
      late = () => {
        const reply = Buffer.alloc(16);
        reply.writeUInt32LE(4, 8);
        reply.write("LATE", 12);
        guest.send(reply, 0, reply.length, rinfo.path!);
      };
    });
    guest.bind(slow);
    open.push(guest);
    const session = new MconsoleSession(dir);
    open.push(session);
    await expect(session.request(slow, "proc meminfo", 50)).rejects.toThrow(/timed out/);
    late!();
    await expect(session.request(slow, "proc loadavg", 50)).rejects.toThrow(/timed out/);
  });

  it("fails at once for a guest with no socket, and cleans up its own", async () => {
    const session = new MconsoleSession(dir);
    await expect(session.request(path.join(dir, "nobody"), "version", 1000)).rejects.toThrow(/cannot reach/);
    session.close();
    expect(fs.readdirSync(dir)).toEqual([]);
    await expect(session.request(path.join(dir, "nobody"), "version", 1000)).rejects.toThrow(/closed/);
  });
});
