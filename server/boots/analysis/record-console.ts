// A guest's console as the fixture recorder drives it: type, wait for what comes back.
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
  async expect(pattern: RegExp, timeoutMs = 180_000): Promise<RegExpMatchArray> {
    const from = this.mark;
    const m = await waitFor(`console to print ${pattern}`, () => this.tap.output.slice(from).match(pattern), timeoutMs).catch(
      (err: Error) => {
        throw new Error(`${err.message}; the console's last words:\n${this.tap.output.slice(-1500)}`);
      },
    );
    this.mark = from + m.index! + m[0].length;
    return m;
  }

  async type(text: string): Promise<void> {
    const reply = await this.tap.type(text);
    if (!reply.ok) throw new Error(`typing into the console: ${JSON.stringify(reply)}`);
  }

  /** Types a command line and waits for `until` (by default, the next shell prompt). */
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
