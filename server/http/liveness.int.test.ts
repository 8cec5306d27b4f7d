import fs from "node:fs/promises";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCastEvent } from "../boots/asciicast";
import { TestDaemon, type ConsoleTap } from "../test-support/daemon-harness";
import { WEB_ORIGIN } from "../test-support/daemon-session";
import { growBootLog } from "../test-support/big-log";
import { paddingChunks, rawRequest } from "../test-support/raw-http";

// While the daemon handles something big — a body far over its bound, a large boot log
// read as text — it keeps answering /api/health and keeps a console live. The big request
// is held open at the client (it stops reading), so "while" is an event, not a timing.
describe("the daemon stays live while it handles something big (real daemon, real guests)", () => {
  const daemon = new TestDaemon();
  let tap: ConsoleTap;
  let logged: { id: string; name: string; file: string };
  const LINES = 400_000; // about 40 MB of cast

  beforeAll(async () => {
    await daemon.start();
    const live = await daemon.createGuest("live-console", { network: "none" });
    await daemon.startGuest(live.id);
    tap = await daemon.attachConsole(await daemon.socket(), live.id);
    await tap.type("echo ready-$((1+1))\r");
    await tap.expect(/ready-2/, 60_000);

    const g = await daemon.createGuest("big-log", { network: "none" });
    await daemon.startGuest(g.id);
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
    const file = await growBootLog(daemon, g.id, 1, LINES);
    logged = { id: g.id, name: g.name, file };
  });
  afterAll(() => daemon.cleanup());

  async function stillAnswering(mark: string): Promise<void> {
    expect((await fetch(`${daemon.url}/api/health`)).status).toBe(200);
    await tap.type(`echo ${mark}-$((6*7))\r`);
    await tap.expect(new RegExp(`${mark}-42`));
  }

  it("streams a large boot log as text, answering health and a console while the client holds it", async () => {
    const cookie = await daemon.admin();
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .get(`${daemon.url}/api/guests/${logged.id}/boots/1/log?format=text`, { headers: { cookie } }, resolve)
        .on("error", reject);
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    // Take the first chunk, then stop reading.
    const chunks = [await new Promise<Buffer>((resolve) => res.once("data", (c: Buffer) => (res.pause(), resolve(c))))];
    // The log is read as it is sent, like a guest's log still being written: a line added
    // now, while most of the log is still unread, is in the download.
    await fs.appendFile(logged.file, encodeCastEvent(999, "o", "the very last line\r\n"));
    await stillAnswering("during-log");
    res.on("data", (c: Buffer) => chunks.push(c));
    res.resume();
    await new Promise((resolve) => res.once("end", resolve));
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text).toContain("printed line 0 ");
    expect(text).toContain(`printed line ${LINES - 1} `);
    expect(text.endsWith("the very last line\r\n")).toBe(true);
    await stillAnswering("after-log");
  });

  it("refuses a body far over the bound at once, answering health and a console meanwhile", async () => {
    const huge = rawRequest({
      port: daemon.port,
      method: "POST",
      path: "/api/auth/login",
      headers: { "content-type": "application/json", origin: WEB_ORIGIN },
      body: () => paddingChunks(65_536),
    });
    await stillAnswering("during-body");
    const r = await huge;
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe("close");
    expect(await r.closed).toBe(true);
    await stillAnswering("after-body");
  });
});
