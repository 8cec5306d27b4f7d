// One Debian (systemd) image as a UML guest and as a context guest (LXC), through one daemon,
// alternating kinds so that both see the same load: start request to the console's login
// prompt, and stop request to stopped (a clean power-off either way). Network user, 256 MiB.
// Usage: npm run bench:debian-kinds -- IMAGE [RUNS]   (IMAGE: e.g. from `npm run image:debian`;
// RUNS per kind, default 3). The image is imported into a throwaway data directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { GuestKind, GuestView } from "../lib/shared/protocol";
import { probeContextSupport } from "../server/lxc/host-support";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { waitFor } from "../server/test-support/wait";
import { cleanUp, onCleanup } from "./guest-storms";

const [imageArg, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Only catches a hang. */
const BOOT_DEADLINE_MS = 300_000;

async function main(): Promise<number> {
  if (!imageArg || !fs.existsSync(imageArg) || !(runs >= 1)) {
    console.error("usage: npm run bench:debian-kinds -- IMAGE [RUNS]   (a Debian image file; RUNS ≥ 1)");
    return 2;
  }
  const support = probeContextSupport(process.cwd());
  if (!support.available) {
    console.error(`context guests are unavailable here: ${support.reason}`);
    return 2;
  }
  const image = path.resolve(imageArg);
  const daemon = new TestDaemon({
    CORRAL_IMPORT_DIR: path.dirname(image),
    CORRAL_BOOT_TIMEOUT_SECONDS: String(BOOT_DEADLINE_MS / 1000),
  });
  onCleanup(() => daemon.cleanup());
  await daemon.start();
  const imported = await daemon.api<{ id: string }>("POST", "/api/images/import", {
    name: "bench-debian",
    path: path.basename(image),
  });
  if (imported.status !== 201) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
  const guests: Record<GuestKind, GuestView> = {
    uml: await daemon.createGuest("deb-uml", { imageId: imported.body.id, memoryMiB: 256, network: "user" }),
    context: await daemon.createGuest("deb-ctx", {
      kind: "context",
      imageId: imported.body.id,
      memoryMiB: 256,
      network: "user",
    }),
  };
  const times: Record<GuestKind, { login: number[]; stop: number[] }> = {
    uml: { login: [], stop: [] },
    context: { login: [], stop: [] },
  };
  const socket = await daemon.socket();
  const taps = {
    uml: await daemon.attachConsole(socket, guests.uml.id, { cols: 120, rows: 40 }),
    context: await daemon.attachConsole(socket, guests.context.id, { cols: 120, rows: 40 }),
  };
  for (let run = 1; run <= runs; run++) {
    for (const kind of ["uml", "context"] as const) {
      const guest = guests[kind];
      const tap = taps[kind];
      const from = tap.output.length;
      let t0 = performance.now();
      const started = await daemon.api("POST", `/api/guests/${guest.id}/start`);
      if (started.status !== 202) throw new Error(`start ${kind}: ${started.status} ${JSON.stringify(started.body)}`);
      await waitFor(`${kind} login prompt`, () => / login: $/.test(tap.output.slice(from)), BOOT_DEADLINE_MS);
      const login = (performance.now() - t0) / 1000;
      await daemon.waitForState(guest.id, "running", BOOT_DEADLINE_MS);
      t0 = performance.now();
      await daemon.api("POST", `/api/guests/${guest.id}/stop`);
      const stopped = await daemon.waitForState(guest.id, "stopped", BOOT_DEADLINE_MS);
      const stop = (performance.now() - t0) / 1000;
      if (stopped.lastBoot?.outcome !== "powered-off")
        throw new Error(`${kind} did not power off cleanly: ${JSON.stringify(stopped.lastBoot)}`);
      times[kind].login.push(login);
      times[kind].stop.push(stop);
      console.log(`run ${run}/${runs} ${kind.padEnd(7)} start→login ${login.toFixed(2)} s   stop ${stop.toFixed(2)} s`);
    }
  }
  const [u, c] = [times.uml, times.context];
  console.log(
    `\nmedians of ${runs} (load average ${os.loadavg()[0].toFixed(1)}):\n` +
      `  start→login  uml ${median(u.login).toFixed(2)} s   context ${median(c.login).toFixed(2)} s   ` +
      `ratio uml/context ${(median(u.login) / median(c.login)).toFixed(2)}\n` +
      `  stop         uml ${median(u.stop).toFixed(2)} s   context ${median(c.stop).toFixed(2)} s`,
  );
  return 0;
}

main()
  .then(
    (code) => code,
    (err) => {
      console.error(`bench:debian-kinds: ${(err as Error).stack}`);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
