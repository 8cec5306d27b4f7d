import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon } from "../test-support/daemon-harness";

// Importing a special file must be refused by its type, found without opening it: opening
// a FIFO for reading waits for a writer, and a daemon that waited froze every request and
// console with it (issue 12).
describe("importing special files (real daemon, a running guest as the liveness check)", () => {
  const daemon = new TestDaemon();
  const importDir = path.join(daemon.dataDir, "import");
  const imagesDir = path.join(daemon.dataDir, "images");
  const fifo = path.join(importDir, "fifo.img");
  let socketServer: net.Server | null = null;

  beforeAll(async () => {
    await daemon.start();
    execFileSync("mkfifo", [fifo]);
    fs.mkdirSync(path.join(importDir, "dir.img"));
    socketServer = net.createServer();
    await new Promise<void>((r) => socketServer!.listen(path.join(importDir, "socket.img"), r));
    if (process.getuid?.() === 0) execFileSync("mknod", [path.join(importDir, "null.img"), "c", "1", "3"]);
  });

  afterAll(async () => {
    socketServer?.close();
    // A daemon that did open the FIFO is stuck until a writer comes: release it so it can stop.
    try {
      fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
      // no reader waiting: nothing to release
    }
    await daemon.cleanup();
  });

  it("answers 422 for a FIFO while /api/health and a running guest's console keep answering", async () => {
    const g = await daemon.createGuest("alive", { memoryMiB: 48, network: "none" });
    await daemon.startGuest(g.id);
    const tap = await daemon.attachConsole(await daemon.socket(), g.id);
    const before = fs.readdirSync(imagesDir).sort();

    const importing = daemon.api("POST", "/api/images/import", { name: "fifo", path: "fifo.img" });
    // The deadline only catches a daemon that hangs; a live one answers at once.
    const health = await fetch(`${daemon.url}/api/health`, { signal: AbortSignal.timeout(30_000) });
    expect(health.status).toBe(200);
    await tap.type("echo ALIVE-$((6*7))\r");
    await tap.expect(/ALIVE-42/, 30_000);

    const r = await importing;
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/"fifo.img" is a FIFO \(named pipe\), not a regular file/);
    expect(fs.readdirSync(imagesDir).sort()).toEqual(before);
    expect((await daemon.api<Array<{ name: string }>>("GET", "/api/images")).body.map((i) => i.name)).toEqual([
      "busybox",
    ]);
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
  });

  it.each([
    ["a directory", "dir.img", /"dir.img" is a directory, not a regular file/],
    ["a unix socket", "socket.img", /"socket.img" is a socket, not a regular file/],
    ["a character device", "null.img", /"null.img" is a character device, not a regular file/],
  ])("refuses %s by its type with 422", async (_what, file, message) => {
    if (!fs.existsSync(path.join(importDir, file))) return; // mknod needs root
    const r = await daemon.api("POST", "/api/images/import", { name: "special", path: file });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(message);
    expect(r.body.error.fields.path).toMatch(/Only regular files can be imported/);
    expect(fs.readdirSync(imagesDir).filter((f) => f.startsWith("special") || f.endsWith(".partial"))).toEqual([]);
  });
});
