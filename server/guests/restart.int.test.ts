import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { castOutput, parseCast } from "../boots/asciicast";
import { processAlive } from "../uml/kernel-process";
import { TestDaemon, waitFor, waitWhileProgressing } from "../test-support/daemon-harness";

const bootLog = async (daemon: TestDaemon, id: string, n: number) =>
  castOutput(parseCast((await daemon.api<string>("GET", `/api/guests/${id}/boots/${n}/log`)).body).events);

// Guests outlive the daemon: the console keeper holds their consoles and logs.
describe("daemon restarts (real UML)", () => {
  const daemons: TestDaemon[] = [];
  afterAll(async () => {
    for (const d of daemons) await d.cleanup();
  });

  it("keeps guests running through a clean restart and adopts them again", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const g = await daemon.createGuest("calm");
    await daemon.startGuest(g.id);
    const tap = await daemon.attachConsole(await daemon.socket(), g.id);
    await tap.type("echo BEFORE-RESTART\r");
    await tap.expect(/BEFORE-RESTART\r\n/);
    const pid = daemon.kernels()[0].pid;

    await daemon.stop("SIGTERM");
    expect(processAlive(pid)).toBe(true);
    await daemon.start();

    const after = await daemon.guest(g.id);
    expect(after.state).toBe("running");
    expect(after.lastBoot?.number).toBe(1);
    expect(daemon.kernels().map((k) => k.pid)).toEqual([pid]);
    // The console comes back with its screen, and takes input again.
    const again = await daemon.attachConsole(await daemon.socket(), g.id);
    expect(again.snapshot).toContain("BEFORE-RESTART");
    await again.type("echo AFTER-$((40+2))\r");
    await again.expect(/AFTER-42\r\n/);
    await daemon.api("POST", `/api/guests/${g.id}/stop`);
    expect((await daemon.waitForState(g.id, "stopped")).lastBoot?.outcome).toBe("powered-off");
    const log = await bootLog(daemon, g.id, 1);
    expect(log).toContain("BEFORE-RESTART");
    expect(log).toContain("AFTER-42");
    await daemon.stop();
  });

  it("after kill -9 of the daemon, every guest is still running and controllable, and no line is lost", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const guests = [await daemon.createGuest("count-a"), await daemon.createGuest("count-b")];
    for (const g of guests) {
      await daemon.startGuest(g.id);
      const tap = await daemon.attachConsole(await daemon.socket(), g.id);
      // A numbered sequence that keeps printing while the daemon is dead and restarting.
      await tap.type("i=0; while [ $i -lt 600 ]; do echo SEQ-$i; i=$((i+1)); usleep 10000; done; echo SEQ-DONE\r");
      await tap.expect(/SEQ-10\r\n/);
    }
    const pids = daemon.kernels().map((k) => k.pid);

    await daemon.stop("SIGKILL");
    // Proves the outage falls inside the count: neither guest has finished yet.
    const DONE = /^SEQ-DONE\r$/m;
    for (const g of guests) {
      const text = fs.readFileSync(path.join(daemon.dataDir, "guests", g.id, "boots/1.cast"), "utf8");
      expect(castOutput(parseCast(text).events), "still counting when the daemon died").not.toMatch(DONE);
    }
    expect(pids.every(processAlive)).toBe(true);
    await daemon.start();

    for (const g of guests) {
      expect((await daemon.guest(g.id)).state, `${g.name} after restart; daemon log:\n${daemon.logText}`).toBe(
        "running",
      );
      // A loaded host may take minutes over the count (each `usleep` is a process in the
      // guest): only a log that stops growing fails.
      const counted = async () => {
        const log = await bootLog(daemon, g.id, 1);
        return DONE.test(log) ? { done: log } : { progress: log.length };
      };
      await waitWhileProgressing(`${g.name} to finish counting`, counted, 60_000).catch(async (err: Error) => {
        const tail = (await bootLog(daemon, g.id, 1)).slice(-300);
        const keeperLog = (
          await fs.promises.readFile(path.join(daemon.dataDir, "keeper.log"), "utf8").catch(String)
        ).slice(-4000);
        const stat = (pid: number) => fs.promises.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "gone");
        const kernels = await Promise.all(daemon.kernels().map(async (k) => `${k.pid}: ${await stat(k.pid)}`));
        throw new Error(
          `${err.message}; the log ends ${JSON.stringify(tail)}; kernels ${kernels.join(" | ")}; keeper log:\n${keeperLog}\ndaemon log:\n${daemon.logText.slice(-3000)}`,
        );
      });
      const log = await bootLog(daemon, g.id, 1);
      const seen = [...log.matchAll(/^SEQ-(\d+)\r$/gm)].map((m) => Number(m[1]));
      const missing = Array.from({ length: 600 }, (_, i) => i).filter((i) => !seen.includes(i));
      expect({ missing, count: seen.length }, `${g.name}'s sequence`).toEqual({ missing: [], count: 600 });
      // Controllable: the daemon stops it through mconsole like any other.
      await daemon.api("POST", `/api/guests/${g.id}/stop`);
      const stopped = await daemon.waitForState(g.id, "stopped");
      expect(stopped.lastBoot?.outcome).toBe("powered-off");
      expect(stopped.lastBoot?.logBytes).toBe(Buffer.byteLength(await bootLog(daemon, g.id, 1)));
    }
    await daemon.stop();
  });

  it("records what happened while no daemon was running: a kernel killed meanwhile is crashed", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const g = await daemon.createGuest("vanished");
    await daemon.startGuest(g.id);
    const k = daemon.kernels()[0];
    await daemon.stop("SIGKILL");
    process.kill(-k.pid, "SIGKILL");
    await waitFor("kernel gone", () => !processAlive(k.pid));
    await daemon.start();
    const after = await daemon.waitForState(g.id, "crashed");
    expect(after.stateReason).toBe("The kernel process was killed by SIGKILL.");
    expect(after.lastBoot?.outcome).toBe("crashed");
    expect(after.lastBoot?.endedAt).not.toBeNull();
    await daemon.stop();
  });

  it("a keeper whose kernels all ended with no daemon to hear it leaves their ends on disk and exits; the next daemon records them", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const g = await daemon.createGuest("ended-alone");
    await daemon.startGuest(g.id);
    const k = daemon.kernels()[0];
    const keeper = daemon.keeperPid()!;
    const journal = path.join(daemon.runDir, "keeper-journal.json");
    await daemon.stop("SIGKILL");
    process.kill(-k.pid, "SIGKILL");
    await waitFor("the keeper, holding only an end, to exit", () => !processAlive(keeper), 60_000);
    expect(fs.existsSync(journal)).toBe(true);
    await daemon.start();
    const after = await daemon.waitForState(g.id, "crashed");
    expect(after.stateReason).toBe("The kernel process was killed by SIGKILL.");
    expect(after.lastBoot?.outcome).toBe("crashed");
    expect(after.lastBoot?.endedAt).not.toBeNull();
    expect(fs.existsSync(journal)).toBe(false);
    // Acknowledged: the new keeper holds nothing, so once the daemon goes it exits and leaves no journal.
    const second = daemon.keeperPid()!;
    await daemon.stop("SIGTERM");
    await waitFor("the second keeper to exit", () => !processAlive(second), 60_000);
    expect(fs.existsSync(journal)).toBe(false);
  });

  it("when the console keeper dies, its guests are stopped and recorded, and the next start works", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const g = await daemon.createGuest("keeperless");
    await daemon.startGuest(g.id);
    const kernel = daemon.kernels()[0].pid;
    process.kill(daemon.keeperPid()!, "SIGKILL");
    const after = await daemon.waitForState(g.id, "crashed");
    expect(after.stateReason).toMatch(/console keeper stopped unexpectedly/);
    await waitFor("the orphaned kernel to be killed", () => !processAlive(kernel));
    expect(daemon.kernels()).toEqual([]);
    await daemon.startGuest(g.id);
    expect((await daemon.guest(g.id)).lastBoot?.number).toBe(2);
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
    await daemon.stop();
  });

  it("a keeper with nothing to keep exits on its own", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const keeper = daemon.keeperPid();
    expect(keeper).not.toBeNull();
    await daemon.stop("SIGTERM");
    await waitFor("the idle keeper to exit", () => !processAlive(keeper!), 60_000);
    expect(fs.existsSync(path.join(daemon.runDir, "keeper.sock"))).toBe(false);
  });
});
