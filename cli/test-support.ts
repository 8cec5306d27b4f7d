// Running `corral` in tests as people and scripts do: a child process (or, for the console,
// a pseudo-terminal) with its own config directory, against a TestDaemon.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pty from "node-pty";
import { afterAll, beforeAll } from "vitest";
import { waitFor } from "../server/test-support/wait";
import type { TestDaemon } from "../server/test-support/daemon-harness";
import { ADMIN_PASSWORD } from "../server/test-support/daemon-session";
import { prebuiltCli } from "./test-build";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CORRAL_BIN = path.join(root, "cli", "corral.mjs");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A person (or script) at one machine: their own config directory, speaking to `url`. */
export class CliUser {
  readonly configDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-cli-"));

  constructor(
    readonly url: string,
    readonly extraEnv: Record<string, string> = {},
  ) {}

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.CORRAL_TOKEN;
    return { ...env, XDG_CONFIG_HOME: this.configDir, CORRAL_URL: this.url, ...this.extraEnv, ...extra };
  }

  get configFile(): string {
    return path.join(this.configDir, "corral", "config.json");
  }

  /** Runs `corral args…` (prebuilt: test-build.ts) to its end; `input` is piped to stdin (then closed). */
  async run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
    const entry = await prebuiltCli();
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [entry, ...args], {
        env: this.env(opts.env),
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(opts.input ?? "");
    });
  }

  /** `corral --json args…`, expecting exit 0, parsed. */
  async json<T = unknown>(args: string[], opts: { input?: string } = {}): Promise<T> {
    const r = await this.run(["--json", ...args], opts);
    if (r.code !== 0) throw new Error(`corral ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  async login(username: string, password: string): Promise<void> {
    const r = await this.run(["login", "-u", username], { input: `${password}\n` });
    if (r.code !== 0) throw new Error(`login ${username}: ${r.code} ${r.stderr}`);
  }

  /** `corral args…` on a pseudo-terminal, as a person at a terminal runs it (cli/corral.mjs itself). */
  spawnTerminal(
    args: string[],
    size = { cols: 100, rows: 30 },
    file = process.execPath,
    argv = [CORRAL_BIN, ...args],
  ): PtyRun {
    const env = this.env() as Record<string, string>;
    return new PtyRun(pty.spawn(file, argv, { name: "xterm-256color", ...size, env, cwd: root }));
  }

  cleanup(): void {
    fs.rmSync(this.configDir, { recursive: true, force: true });
  }
}

/** A process on a pseudo-terminal: what it printed, typing, and its exit. */
export class PtyRun {
  output = "";
  exitCode: number | null = null;
  private readonly exited: Promise<number>;

  constructor(readonly term: pty.IPty) {
    term.onData((d) => (this.output += d));
    this.exited = new Promise((resolve) =>
      term.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        resolve(exitCode);
      }),
    );
  }

  type(text: string): void {
    this.term.write(text);
  }

  /** Waits until the output after `from` matches. */
  async waitForOutput(pattern: RegExp | string, from = 0, timeoutMs = 60_000): Promise<void> {
    const test = (s: string) => (typeof pattern === "string" ? s.includes(pattern) : pattern.test(s));
    try {
      await waitFor(`the terminal to show ${pattern}`, () => test(this.output.slice(from)), timeoutMs);
    } catch (err) {
      throw new Error(
        `${(err as Error).message}; it showed:\n${JSON.stringify(this.output.slice(from).slice(-2000))}`,
        { cause: err },
      );
    }
  }

  async exit(timeoutMs = 30_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<number>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the process did not exit; it showed:\n${this.output.slice(-2000)}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.exitCode === null) this.term.kill();
  }
}

/** Starts `daemon` (building the CLI meanwhile) and signs its admin in with `corral login`. */
export async function startWithAdmin(daemon: TestDaemon): Promise<CliUser> {
  await Promise.all([daemon.start(), prebuiltCli()]);
  const admin = new CliUser(daemon.url);
  await admin.login("admin", ADMIN_PASSWORD);
  return admin;
}

/**
 * A test file's daemon and signed-in admin: started before its tests (the admin handed to
 * `use`), both cleaned up after them.
 */
export function withAdmin(daemon: TestDaemon, use: (admin: CliUser) => void): void {
  let admin: CliUser | undefined;
  beforeAll(async () => {
    admin = await startWithAdmin(daemon);
    use(admin);
  });
  afterAll(async () => {
    admin?.cleanup();
    await daemon.cleanup();
  });
}
