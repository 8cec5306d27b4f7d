import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BootView } from "../../lib/shared/protocol";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";
import { castOutput, parseCast, TRUNCATED_MARKER } from "./asciicast";

const BOOT_MAX = 64 * 1024;
const GUEST_MAX = 128 * 1024;
// About 129 KB of console output: twice what one boot's log may hold.
const PRINT = "seq 1 20000; echo PRINTED-$((1+1))\r";

// Small bounds, so that a guest passes them by printing a little (real UML, real keeper).
describe("boot log bounds (real UML)", () => {
  const daemon = new TestDaemon({ CORRAL_BOOT_LOG_MAX_MIB: "0.0625", CORRAL_GUEST_LOGS_MAX_MIB: "0.125" });
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  const boots = async (id: string) => (await daemon.api<BootView[]>("GET", `/api/guests/${id}/boots`)).body;
  const bootsDir = (id: string) => path.join(daemon.dataDir, "guests", id, "boots");
  const logSizes = (id: string) =>
    Object.fromEntries(fs.readdirSync(bootsDir(id)).map((f) => [f, fs.statSync(path.join(bootsDir(id), f)).size]));

  async function bootAndPrint(id: string) {
    await daemon.startGuest(id);
    const s = await daemon.socket();
    const tap = await daemon.attachConsole(s, id);
    await tap.type(PRINT);
    await tap.expect(/PRINTED-2\r\n/, 60_000);
    return { s, tap };
  }

  async function stop(id: string) {
    await daemon.api("POST", `/api/guests/${id}/stop`);
    await daemon.waitForState(id, "stopped");
  }

  it("stops recording a boot at its cap with a visible mark; the kernel runs on and viewers see everything", async () => {
    const g = await daemon.createGuest("chatty", { memoryMiB: 48, network: "none" });
    const { s, tap } = await bootAndPrint(g.id);
    expect(tap.output).toContain("\r\n20000\r\n"); // viewers got what the log could not hold
    const truncated = await waitFor("the boot record to say the log was truncated", async () =>
      (await boots(g.id)).find((b) => b.number === 1 && b.logTruncated),
    );
    expect(truncated.endedAt).toBeNull();
    expect((await daemon.guest(g.id)).state).toBe("running");
    await tap.type("echo STILL-$((6*7))\r");
    await tap.expect(/STILL-42/);

    const file = path.join(bootsDir(g.id), "1.cast");
    const text = await fs.promises.readFile(file, "utf8");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(BOOT_MAX);
    const { events } = parseCast(text);
    expect(events.at(-2)).toEqual([expect.any(Number), "m", TRUNCATED_MARKER]);
    expect(events.at(-1)![2]).toMatch(/log truncated here .* The guest kept running and its console went on/);
    const recorded = castOutput(events.slice(0, -2));
    expect(recorded).toContain("\r\n1\r\n2\r\n3\r\n");
    expect(recorded).not.toContain("\r\n20000\r\n");
    expect(recorded).not.toContain("STILL-42");
    const asText = await daemon.api<string>("GET", `/api/guests/${g.id}/boots/1/log?format=text`);
    expect(asText.body).toMatch(/log truncated here/);

    s.close();
    await stop(g.id);
    const [ended] = await boots(g.id);
    expect(ended).toMatchObject({ number: 1, outcome: "powered-off", logTruncated: true, logPrunedAt: null });
    expect(ended.logBytes).toBe(Buffer.byteLength(recorded));
  });

  it("removes the oldest boots' logs first to keep the guest's logs within their bound, keeping the records", async () => {
    const g = await daemon.createGuest("reboots", { memoryMiB: 48, network: "none" });
    for (const boot of [1, 2]) {
      const { s } = await bootAndPrint(g.id);
      s.close();
      await stop(g.id);
      expect(logSizes(g.id)[`${boot}.cast`]).toBeGreaterThan(BOOT_MAX - 4096); // full
    }
    // Boot 3 may fill its log too: only one older full log fits beside it. The oldest goes.
    await daemon.startGuest(g.id);
    expect(Object.keys(logSizes(g.id)).sort()).toEqual(["2.cast", "3.cast"]);
    let records = await boots(g.id);
    expect(records.map((b) => [b.number, b.logPrunedAt !== null])).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
    await stop(g.id);

    const { s } = await bootAndPrint(g.id); // boot 4
    s.close();
    expect(Object.keys(logSizes(g.id)).sort()).toEqual(["3.cast", "4.cast"]);
    expect(Object.values(logSizes(g.id)).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(GUEST_MAX);
    await stop(g.id);
    records = await boots(g.id);
    expect(records.map((b) => [b.number, b.logPrunedAt !== null])).toEqual([
      [4, false],
      [3, false],
      [2, true],
      [1, true],
    ]);
    // The records are whole; the log itself answers with why it is gone.
    expect(records.every((b) => b.outcome === "powered-off")).toBe(true);
    const gone = await daemon.api("GET", `/api/guests/${g.id}/boots/1/log`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toMatch(
      /removed on .* to keep the guest's logs within 128 KiB \(CORRAL_GUEST_LOGS_MAX_MIB\)/,
    );
  });
});
