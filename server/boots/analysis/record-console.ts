// A guest's console and life as the fixture recorder drives them: type, wait for what comes
// back, stop, cut the power, start again.
import type { GuestView } from "../../../lib/shared/protocol";
import type { ConsoleTap, TestDaemon } from "../../test-support/daemon-harness";
import { waitFor } from "../../test-support/wait";

export class RecorderConsole {
  private constructor(
    private readonly tap: ConsoleTap,
    private mark: number,
  ) {}

  static async attach(daemon: TestDaemon, guestId: string): Promise<RecorderConsole> {
    const tap = await daemon.attachConsole(await daemon.socket(), guestId, { cols: 120, rows: 40 });
    // An earlier attachment (the boot before) may still hold the keyboard.
    if (tap.role !== "writer") {
      const taken = await tap.takeControl();
      if (!taken.ok) throw new Error(`take control of ${guestId}'s console: ${JSON.stringify(taken)}`);
    }
    return new RecorderConsole(tap, 0);
  }

  /** Waits for `pattern` in what was printed since the last wait; later waits start after it. */
  async expect(pattern: RegExp, timeoutMs = 300_000): Promise<RegExpMatchArray> {
    const from = this.mark;
    const m = await waitFor(
      `console to print ${pattern}`,
      () => this.tap.output.slice(from).match(pattern),
      timeoutMs,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the console's last words:\n${this.tap.output.slice(-1500)}`);
    });
    this.mark = from + m.index! + m[0].length;
    return m;
  }

  async type(text: string): Promise<void> {
    const reply = await this.tap.type(text);
    if (!reply.ok) throw new Error(`typing into the console: ${JSON.stringify(reply)}`);
  }

  /** Types a command line and waits for `until`. */
  async run(command: string, until: RegExp, timeoutMs?: number): Promise<RegExpMatchArray> {
    await this.type(`${command}\r`);
    return this.expect(until, timeoutMs);
  }

  /** Logs in as root at a getty's login prompt (which must already be on screen). */
  async login(host: string, password: string): Promise<void> {
    await this.type("root\r");
    await this.expect(/Password: /);
    await this.type(`${password}\r`);
    await this.expect(new RegExp(`root@${host}:~# `), 60_000);
  }
}

export async function waitForBoot(daemon: TestDaemon, id: string, n: number): Promise<GuestView> {
  return waitFor(
    `boot ${n} of ${id}`,
    async () => {
      const g = await daemon.guest(id);
      return g.lastBoot && g.lastBoot.number >= n ? g : null;
    },
    300_000,
  );
}

/** Stops (Ctrl-Alt-Del) or cuts the power, and waits until the guest is down. */
export async function stopGuest(daemon: TestDaemon, guest: GuestView, how: "stop" | "force-off" = "stop") {
  const g = await daemon.guest(guest.id);
  if (!["booting", "running"].includes(g.state)) return;
  await daemon.api("POST", `/api/guests/${guest.id}/${how}`);
  await waitFor(
    `${guest.name} to end`,
    async () => ["stopped", "crashed"].includes((await daemon.guest(guest.id)).state),
    300_000,
  );
}

/** Starts the guest's boot `n` and attaches a console to it. */
export async function startBoot(daemon: TestDaemon, guest: GuestView, n: number): Promise<RecorderConsole> {
  const res = await daemon.api("POST", `/api/guests/${guest.id}/start`);
  if (res.status !== 202) throw new Error(`start ${guest.name}: ${res.status} ${JSON.stringify(res.body)}`);
  await waitForBoot(daemon, guest.id, n);
  return RecorderConsole.attach(daemon, guest.id);
}
