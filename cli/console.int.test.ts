// `corral console` on a pseudo-terminal against a real busybox guest: type and see the echo,
// the console follows the terminal's size, Ctrl-] detaches and the terminal is restored,
// a second attach shows the screen again, watchers and taking control, and a dropped
// connection resumes with what was printed meanwhile, once.
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestView } from "../lib/shared/protocol";
import { TestDaemon, freePort, waitFor } from "../server/test-support/daemon-harness";
import { ADMIN_PASSWORD } from "../server/test-support/daemon-session";
import { CORRAL_BIN, CliUser } from "./test-support";

const DETACH = "\x1d";

describe("corral console (pty, real guest)", () => {
  const daemon = new TestDaemon();
  let admin: CliUser;
  let guest: GuestView;

  beforeAll(async () => {
    await daemon.start();
    admin = new CliUser(daemon.url);
    await admin.login("admin", ADMIN_PASSWORD);
    guest = await daemon.createGuest("cli-console");
    await daemon.startGuest(guest.id);
  });
  afterAll(async () => {
    admin?.cleanup();
    await daemon.cleanup();
  });

  it("types with the echo, follows the terminal's size, detaches on Ctrl-] and restores the terminal", async () => {
    // Through a shell, so the terminal's mode can be read after corral exits.
    const shell = admin.spawnTerminal([], { cols: 90, rows: 28 }, "/bin/bash", [
      "--norc",
      "-c",
      // The shell waits for a key at the end: output written just before a pty's process
      // exits can be lost to the reader, and `stty -a` is the last thing it prints.
      `${process.execPath} ${CORRAL_BIN} console cli-console; echo "exit=$?"; stty -a; read -r _`,
    ]);
    try {
      await shell.waitForOutput(/attached to cli-console with the keyboard; detach with Ctrl-\]/);
      let mark = shell.output.length;
      shell.type("echo TYPED-$((6*7))\r");
      await shell.waitForOutput("TYPED-42", mark);
      // The command line was echoed as typed.
      await shell.waitForOutput("echo TYPED-$((6*7))", mark);

      mark = shell.output.length;
      shell.type("stty size\r");
      await shell.waitForOutput(/\r\n28 90\r\n/, mark);
      shell.term.resize(100, 33);
      // SIGWINCH and the keys reach corral separately: ask until the guest sees the new size.
      await waitFor("the guest to see the new size", async () => {
        const from = shell.output.length;
        shell.type("stty size\r");
        await shell.waitForOutput(/\r\n\d+ \d+\r\n/, from);
        return /\r\n33 100\r\n/.test(shell.output.slice(from));
      });

      shell.type(DETACH);
      await shell.waitForOutput(/detached from cli-console; the guest keeps running/);
      await shell.waitForOutput("exit=0");
      // stty -a after corral: canonical mode and echo are back on.
      await shell.waitForOutput(/ icanon /);
      expect(shell.output).toMatch(/ echo /);
      expect(shell.output).toMatch(/ onlcr /);
      // Detaching closes the connection on purpose: no "connection lost" after it (CI, stop 40).
      expect(shell.output).not.toMatch(/connection lost/);
      shell.type("\r");
      expect(await shell.exit()).toBe(0);
      expect((await daemon.guest(guest.id)).state).toBe("running");
    } finally {
      shell.kill();
    }

    // Attaching again shows the screen as it is: what was typed before is there.
    const again = admin.spawnTerminal(["console", "cli-console"], { cols: 100, rows: 33 });
    try {
      await again.waitForOutput("TYPED-42");
      again.type(DETACH);
      expect(await again.exit()).toBe(0);
    } finally {
      again.kill();
    }
  });

  it("a watcher sees what the writer types but sends nothing; --take-control moves the keyboard", async () => {
    const writer = admin.spawnTerminal(["console", "cli-console"]);
    const watcher = admin.spawnTerminal(["console", "cli-console", "--watch"]);
    try {
      await writer.waitForOutput(/with the keyboard/);
      await watcher.waitForOutput(/attached to cli-console watching/);
      watcher.type("echo FROM-WATCHER\r");
      writer.type("echo SEEN-BY-$((2*21))\r");
      await watcher.waitForOutput("SEEN-BY-42");
      expect(writer.output).not.toMatch(/FROM-WATCHER/);

      const taker = admin.spawnTerminal(["console", "cli-console", "--take-control"]);
      try {
        await taker.waitForOutput(/attached to cli-console/);
        await writer.waitForOutput(/took control; you are watching now/);
        const mark = watcher.output.length;
        taker.type("echo TAKEN-$((40+2))\r");
        await watcher.waitForOutput("TAKEN-42", mark);
        // The old writer's keys are refused, with what to do.
        writer.type("x");
        await writer.waitForOutput(/You are watching: .* is typing\. Attach with --take-control to type\./);
        taker.type(DETACH);
        expect(await taker.exit()).toBe(0);
      } finally {
        taker.kill();
      }
      writer.type(DETACH);
      watcher.type(DETACH);
      expect(await writer.exit()).toBe(0);
      expect(await watcher.exit()).toBe(0);
    } finally {
      writer.kill();
      watcher.kill();
    }
  });

  it("resumes after a dropped connection with what was printed meanwhile, exactly once", async () => {
    // A loopback proxy between corral and the daemon: dropping its connections drops corral's.
    const port = await freePort();
    const live = new Set<net.Socket>();
    let open = true;
    const proxy = net.createServer((client) => {
      if (!open) return client.destroy();
      const upstream = net.connect(daemon.port, "127.0.0.1");
      client.pipe(upstream).pipe(client);
      for (const s of [client, upstream]) {
        live.add(s);
        s.on("close", () => live.delete(s));
        s.on("error", () => {});
      }
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(port, "127.0.0.1", r));
    // The admin's token, given as a script would: CORRAL_TOKEN.
    const secret = JSON.parse(fs.readFileSync(admin.configFile, "utf8")).secret as string;
    const viaProxy = new CliUser(`http://127.0.0.1:${port}`, { CORRAL_TOKEN: secret });
    const term = viaProxy.spawnTerminal(["console", "cli-console"], { cols: 100, rows: 30 });
    try {
      await term.waitForOutput(/attached to cli-console/);
      open = false;
      for (const s of live) s.destroy();
      await term.waitForOutput(/connection lost; reconnecting/);

      // Printed while corral is away: it must arrive after the reconnect, once.
      const socket = await daemon.socket();
      const tap = await daemon.attachConsole(socket, guest.id, null);
      await tap.type("echo MISSED-$((6*7))\r");
      await tap.expect(/MISSED-42/);
      // Let go of the keyboard the test's viewer got when corral dropped out.
      expect(await socket.emitWithAck("console:detach", { guestId: guest.id })).toEqual({ ok: true });
      open = true;
      await term.waitForOutput(/reconnected; attached to cli-console/);
      await term.waitForOutput("MISSED-42");
      const mark = term.output.length;
      term.type("echo AFTER-$((6*7))\r");
      await term.waitForOutput("AFTER-42", mark);
      expect(term.output.match(/MISSED-42/g)).toHaveLength(1);
      // Resumed from the ring (what was missed, not a redrawn screen).
      expect(term.output).not.toMatch(/Resynced/);
      term.type(DETACH);
      expect(await term.exit()).toBe(0);
    } finally {
      term.kill();
      viaProxy.cleanup();
      for (const s of live) s.destroy();
      proxy.close();
    }
  });
});
