// `corral console GUEST`: this terminal attached to a guest's console with the browser's
// semantics (lib/client/console-session.ts does the protocol: attach, numbered output
// acknowledged once written, resume from the last number after a dropped connection, who
// holds the keyboard). Here: raw mode, the detach key, SIGWINCH, and the terminal put back
// as it was on every way out.
import { spawnSync } from "node:child_process";
import { ConsoleSession, type ConsoleSessionState } from "../lib/client/console-session";
import type { GuestView } from "../lib/shared/protocol";
import type { Api } from "./api";
import { CliError, EXIT } from "./exit-codes";
import { connectSocket, socketRefusal } from "./socket";

export const DETACH_KEY = "\x1d"; // Ctrl-], as telnet
const TERMINAL_MODES_OFF = "\x1b[0m\x1b[?25h\x1b[?1l\x1b>\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l";
const ALT_SCREEN_ON = "\x1b[?1049h";
const ALT_SCREEN_OFF = "\x1b[?1049l";

export interface AttachOptions {
  watch: boolean;
  takeControl: boolean;
}

/** Resolves with how the attachment ended: detached by the person, or an error. */
export async function attachConsole(api: Api, guest: GuestView, opts: AttachOptions): Promise<void> {
  const socket = await connectSocket(api);
  const stdin = process.stdin;
  const stdout = process.stdout;
  // Raw even to watch: the detach key must arrive at once, not after Enter.
  const raw = !!stdin.isTTY;
  let lastChar = "\n";
  // Left on detach only if the guest entered it: leaving it otherwise moves the cursor.
  let altScreen = false;
  let restored = false;
  let finish: (err?: CliError) => void = () => {};
  const done = new Promise<void>((resolve, reject) => (finish = (err) => (err ? reject(err) : resolve())));

  const say = (text: string) => process.stderr.write(`${raw || lastChar !== "\n" ? "\r\n" : ""}[corral: ${text}]\r\n`);
  const terminal = {
    write(data: string, callback?: () => void) {
      if (data) lastChar = data[data.length - 1];
      const on = data.lastIndexOf(ALT_SCREEN_ON);
      if (on !== -1 || data.includes(ALT_SCREEN_OFF)) altScreen = on > data.lastIndexOf(ALT_SCREEN_OFF);
      if (stdout.destroyed) return callback?.();
      stdout.write(data, () => callback?.());
    },
    get cols() {
      return stdout.columns || 80;
    },
    get rows() {
      return stdout.rows || 24;
    },
    atLineStart: () => lastChar === "\n" || lastChar === "\r",
  };

  let previous: ConsoleSessionState | null = null;
  const onState = (s: ConsoleSessionState) => {
    const was = previous;
    previous = s;
    if (s.attach.state === "failed") return finish(socketRefusal(s.attach.error));
    if (s.attach.state === "attached" && was?.attach.state !== "attached") {
      say(
        `${was?.attach.state === "attaching" && reconnecting ? "reconnected; " : ""}attached to ${guest.name} ` +
          `${s.role === "writer" ? "with the keyboard" : "watching"}; detach with Ctrl-]`,
      );
      reconnecting = false;
      if (opts.takeControl && s.role !== "writer" && !tookControl) {
        tookControl = true;
        session.takeControl();
      }
    }
    if (s.notice && s.notice !== was?.notice)
      say(s.notice.replace("Take control to type.", "Attach with --take-control to type."));
  };
  let reconnecting = false;
  let tookControl = false;
  const session = new ConsoleSession(socket, guest.id, terminal, {
    readOnly: opts.watch,
    name: api.connection.stored?.username ?? "corral",
    emptyHint: "",
    onState,
  });

  const onInput = (chunk: Buffer | string) => {
    const text = String(chunk);
    const at = text.indexOf(DETACH_KEY);
    const before = at === -1 ? text : text.slice(0, at);
    if (before && !opts.watch) session.input(before);
    if (at !== -1) finish();
  };
  const onResize = () => session.resize(terminal.cols, terminal.rows);
  const onDisconnect = (reason: string) => {
    // The daemon ended this connection itself: signed out, token revoked, account disabled.
    if (reason === "io server disconnect")
      return finish(
        new CliError("The host daemon closed the console: your sign-in ended. Run `corral login`.", EXIT.auth),
      );
    reconnecting = true;
    say("connection lost; reconnecting (Ctrl-] gives up)");
  };
  const onSignal = (signal: NodeJS.Signals) => finish(new CliError(`Stopped by ${signal}.`, EXIT.error));
  const onStdinEnd = () => finish();

  const restore = () => {
    if (restored) return;
    restored = true;
    if (raw && stdin.isTTY) stdin.setRawMode(false);
    // Modes a guest's program may have left on: colours, a hidden cursor, the alternate
    // screen, application keys, mouse reporting, bracketed paste.
    if (stdout.isTTY && !stdout.destroyed) stdout.write(TERMINAL_MODES_OFF + (altScreen ? ALT_SCREEN_OFF : ""));
  };

  socket.on("disconnect", onDisconnect);
  stdin.on("data", onInput);
  stdin.on("end", onStdinEnd);
  stdout.on("resize", onResize);
  process.on("SIGTERM", onSignal).on("SIGHUP", onSignal).on("SIGINT", onSignal);
  process.on("exit", restore);
  if (raw) {
    stdin.setRawMode(true);
    // libuv's raw mode keeps ONLCR; the guest's bytes must reach the terminal as they are
    // (a bare LF moves down without a carriage return in full-screen programs). Leaving raw
    // mode puts back the terminal's saved settings, ONLCR included.
    spawnSync("stty", ["-onlcr"], { stdio: ["inherit", "ignore", "ignore"] });
  }
  stdin.resume();
  try {
    session.start();
    await done;
    restore();
    say(`detached from ${guest.name}; the guest keeps running`);
  } finally {
    session.stop();
    restore();
    process.off("exit", restore);
    process.off("SIGTERM", onSignal).off("SIGHUP", onSignal).off("SIGINT", onSignal);
    stdout.off("resize", onResize);
    stdin.off("data", onInput).off("end", onStdinEnd);
    stdin.pause();
    // Closing it ourselves is no lost connection: nothing to say, nothing to reconnect.
    socket.off("disconnect", onDisconnect);
    // Let the detach reach the daemon before the socket closes.
    await new Promise((r) => setTimeout(r, 50));
    socket.close();
  }
}
