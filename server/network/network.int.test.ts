import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestView } from "../../lib/shared/protocol";
import { freePort, TestDaemon, waitFor } from "../test-support/daemon-harness";

// Traffic stays on this machine: the guest reaches the host's loopback as 10.0.2.2, and the
// host reaches the guest through a forward bound to 127.0.0.1.
describe("guest networking (real UML, user-mode network)", () => {
  const daemon = new TestDaemon({ CORRAL_GUEST_HOST_LOOPBACK: "1" });
  let server: http.Server;
  let serverPort: number;
  beforeAll(async () => {
    await daemon.start();
    serverPort = await freePort();
    server = http.createServer((req, res) => res.end(`host-page ${req.url}`));
    await new Promise<void>((r) => server.listen(serverPort, "127.0.0.1", r));
  });
  afterAll(async () => {
    server.close();
    await daemon.cleanup();
  });

  async function boot(name: string, extra: Record<string, unknown> = {}) {
    const g = await daemon.createGuest(name, extra);
    await daemon.startGuest(g.id);
    return { g, tap: await daemon.attachConsole(await daemon.socket(), g.id) };
  }

  it("reaches an HTTP server on the host, under its own hostname", async () => {
    const { g, tap } = await boot("fetcher");
    expect(g.network).toMatchObject({ mode: "user", address: "10.0.2.15/24", gateway: "10.0.2.2" });
    await tap.type(`hostname; wget -q -O - http://10.0.2.2:${serverPort}/from-guest; echo; echo FETCHED-$((1+1))\r`);
    await tap.expect(/FETCHED-2/);
    expect(tap.output).toMatch(/\r\nfetcher\r\n/);
    expect(tap.output).toContain("host-page /from-guest");
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
  });

  it("forwards a host port to a server inside the guest, and refuses a port already taken", async () => {
    const hostPort = await freePort();
    const { g, tap } = await boot("server", { forwards: [{ protocol: "tcp", hostPort, guestPort: 8080 }] });
    expect(g.network.forwards).toEqual([{ protocol: "tcp", hostAddress: "127.0.0.1", hostPort, guestPort: 8080 }]);
    await tap.type("while :; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\nhello-from-guest' | nc -l -p 8080; done &\r");
    const body = await waitFor(
      "the guest's server through the forward",
      async () => {
        try {
          const res = await fetch(`http://127.0.0.1:${hostPort}/`);
          return (await res.text()) || null;
        } catch {
          return null;
        }
      },
      20_000,
    );
    expect(body).toContain("hello-from-guest");

    const dup = await daemon.api("POST", "/api/guests", {
      name: "copycat",
      imageId: await daemon.defaultImageId(),
      memoryMiB: 48,
      forwards: [{ protocol: "tcp", hostPort, guestPort: 22 }],
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(
      new RegExp(`Host port ${hostPort}/tcp is already forwarded to the guest "server"`),
    );
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
    // The forward's helper went with the guest: the port is free again.
    await waitFor("the port to be released", () => portFree(hostPort));
  });

  it("leaves nothing of the guest in the run directory after a clean power-off", async () => {
    const { g } = await boot("tidy");
    const leftovers = () => fs.readdirSync(daemon.runDir).filter((f) => f.startsWith(g.id));
    // slirp4netns's API socket exists while the guest's network runs…
    await waitFor("the network's API socket", () => leftovers().includes(`${g.id}.net`));
    await daemon.api("POST", `/api/guests/${g.id}/stop`);
    await daemon.waitForState(g.id, "stopped");
    // …and is gone once the guest has stopped, with everything else the kernel used.
    expect(leftovers()).toEqual([]);
  });

  it("fails the boot when another program holds a forwarded port, saying why", async () => {
    const hostPort = await freePort();
    const g = await daemon.createGuest("blocked", { forwards: [{ protocol: "tcp", hostPort, guestPort: 80 }] });
    const squatter = net.createServer().listen(hostPort, "127.0.0.1");
    await new Promise((r) => squatter.once("listening", r));
    // Accepted (queued); the boot finds the port taken and fails, saying why, before any kernel runs.
    const res = await daemon.api("POST", `/api/guests/${g.id}/start`);
    expect(res.status).toBe(202);
    const after = await daemon.waitForState(g.id, "crashed");
    squatter.close();
    expect(after.stateReason).toMatch(new RegExp(`Host port ${hostPort}/tcp on 127.0.0.1 is in use by another program`));
    expect(after.lastBoot?.outcome).toBe("failed");
    expect(daemon.kernels().filter((k) => k.umid === g.id)).toEqual([]);
  });

  it("gives a guest without a network no interface, and edits forwards while stopped", async () => {
    const { g, tap } = await boot("island", { network: "none" });
    await tap.type("ls /sys/class/net; echo LISTED-$((1+1))\r");
    await tap.expect(/LISTED-2/);
    expect(tap.output).not.toContain("vec0");
    const running = await daemon.api("PATCH", `/api/guests/${g.id}`, { network: "user" });
    expect(running.status).toBe(409);
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
    const edited = await daemon.api<GuestView>("PATCH", `/api/guests/${g.id}`, {
      network: "user",
      forwards: [{ protocol: "udp", hostPort: 40000, guestPort: 53 }],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.network.forwards).toEqual([
      { protocol: "udp", hostAddress: "127.0.0.1", hostPort: 40000, guestPort: 53 },
    ]);
    const bad = await daemon.api("PATCH", `/api/guests/${g.id}`, {
      network: "none",
      forwards: [{ hostPort: 40001, guestPort: 1 }],
    });
    expect(bad.status).toBe(422);
  });

  it("refuses the bridge where the admin has not enabled it, creating nothing", async () => {
    const host = await daemon.api<{ bridge: unknown }>("GET", "/api/host");
    expect(host.body.bridge).toBeNull();
    const res = await daemon.api("POST", "/api/guests", {
      name: "wants-bridge",
      imageId: await daemon.defaultImageId(),
      memoryMiB: 48,
      network: "bridge",
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.network).toMatch(/Choose user, or ask an admin to enable the bridge/);
    const list = await daemon.api<{ name: string }[]>("GET", "/api/guests");
    expect(list.body.map((g) => g.name)).not.toContain("wants-bridge");
  });
});

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}
