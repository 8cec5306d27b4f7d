import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pty from "node-pty";
import { waitFor } from "./daemon-harness";

/**
 * A UML kernel on a pseudo-terminal with arguments the daemon would never pass (a seed disk
 * of the test's own making): for testing what an image does at boot, apart from Corral.
 */
export class RawKernel {
  output = "";
  private readonly term: pty.IPty;
  readonly runDir: string;

  constructor(binary: string, args: string[]) {
    this.runDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-raw-"));
    this.term = pty.spawn(binary, [`uml_dir=${this.runDir}`, "con=null", "ssl=null", "con0=fd:0,fd:1", ...args], {
      name: "xterm-256color",
      cols: 160,
      rows: 50,
      cwd: this.runDir,
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", TMPDIR: "/dev/shm", TERM: "xterm-256color" },
    });
    this.term.onData((d) => (this.output += d));
  }

  /** Waits for `pattern` in what the console printed after `from` (an offset in `output`). */
  expect(pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<RegExpMatchArray> {
    return waitFor(`console to match ${pattern}`, () => this.output.slice(from).match(pattern), timeoutMs);
  }

  type(text: string): void {
    this.term.write(text);
  }

  /** Runs a shell command at a root prompt and returns what it printed, as plain text. */
  async run(command: string, timeoutMs = 30_000): Promise<string> {
    const from = this.output.length;
    const tag = `END${Math.floor(Math.random() * 1e6)}`;
    this.type(`${command}; echo ${tag.slice(0, 3)}""${tag.slice(3)}\r`);
    // After the echo of the command itself (its tag is split by quotes), up to the tag printed.
    // The last echo: a command typed before the shell is back at its prompt is echoed twice,
    // by the terminal and again by the shell's line editor.
    const echoed = `${tag.slice(0, 3)}""${tag.slice(3)}`;
    const [, out] = await this.expect(
      new RegExp(`[\\s\\S]*${echoed}[^\\n]*\\n([\\s\\S]*?)${tag}\\r?\\n`),
      timeoutMs,
      from,
    );
    // Plain text: no carriage returns, no terminal control sequences (bash's bracketed paste).
    return out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
  }

  /** Ends the kernel and its helper processes (UML forks them into its process group). */
  async kill(): Promise<void> {
    const pid = this.term.pid;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
    await waitFor("the kernel to exit", () => !alive(pid), 10_000).catch(() => {});
    fs.rmSync(this.runDir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
