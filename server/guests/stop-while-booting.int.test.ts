import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BootView, GuestView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

// A stop pressed while the guest boots is a clean power-off, wherever in the boot it lands.
// Before its init is up a UML kernel has no mconsole (the stop was a kill) or takes
// Ctrl-Alt-Del as a reboot of its own (the guest came back up and was killed only by the
// stop timeout, 30 s later): the runner asks for the power-off once the boot is ready.
describe("stop while the guest boots (real UML)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  const boots = async (id: string) =>
    (await daemon.api<BootView[]>("GET", `/api/guests/${id}/boots`)).body.map((b) => [b.number, b.outcome]);

  it("powers the guest off, one boot a start, wherever in the boot the stop lands", async () => {
    const guest = await daemon.createGuest("early-stop", { network: "none" });
    const delays = [0, 40, 80, 120, 200];
    for (const delay of delays) {
      expect((await daemon.api<GuestView>("POST", `/api/guests/${guest.id}/start`)).status).toBe(202);
      await new Promise((r) => setTimeout(r, delay));
      expect((await daemon.api<GuestView>("POST", `/api/guests/${guest.id}/stop`)).status).toBe(202);
      await daemon.waitForState(guest.id, "stopped", 60_000);
    }
    expect(await boots(guest.id), daemon.logText.slice(-6000)).toEqual(
      delays.map((_, i) => [delays.length - i, "powered-off"]),
    );
  });

  it("powers off a guest stopped the moment it restarts itself", async () => {
    const guest = await daemon.createGuest("restarted", { network: "none" });
    await daemon.startGuest(guest.id);
    const tap = await daemon.attachConsole(await daemon.socket(), guest.id);
    await tap.type("reboot\r");
    await tap.expect(/reboot: Restarting system/);
    expect((await daemon.api("POST", `/api/guests/${guest.id}/stop`)).status).toBe(202);
    await daemon.waitForState(guest.id, "stopped", 60_000);
    expect(await boots(guest.id), daemon.logText.slice(-6000)).toEqual([
      [2, "powered-off"],
      [1, "rebooted"],
    ]);
  });
});
