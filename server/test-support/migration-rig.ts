// What the migration tests (server/hosts/*migration.int.test.ts) share: a guest driven
// through its console, and a proxy that stands in for a host's address and holds a transfer
// back at a chosen point. File checksums are fleet-transfer.ts's.
import net from "node:net";
import pg from "pg";
import type { TestDaemon } from "./daemon-harness";

/** Boots the guest on `d`, runs a shell command in its console, returns what it printed, stops it. */
export async function inGuest(d: TestDaemon, id: string, command: string): Promise<string> {
  await d.startGuest(id);
  const s = await d.socket();
  const tap = await d.attachConsole(s, id);
  await tap.type(`${command}; echo END-$((1+1))\r`);
  const [, out] = await tap.expect(/\r\n([\s\S]*?)END-2\r\n/);
  s.close();
  await d.api("POST", `/api/guests/${id}/stop`);
  await d.waitForState(id, "stopped");
  return out;
}

export interface HoldingProxy {
  port: number;
  /** Whether a connection reached the limit. */
  reached: boolean;
  close: () => void;
}

/**
 * A TCP proxy to `port` that passes everything until one connection has carried `limit`
 * bytes back to its client, then holds the rest and runs `atLimit`: "cut" drops every
 * connection, "release" passes what it held and the rest.
 */
export async function holdingProxy(
  port: number,
  limit: number,
  atLimit: () => Promise<"cut" | "release">,
): Promise<HoldingProxy> {
  const sockets = new Set<net.Socket>();
  const state: HoldingProxy = { port: 0, reached: false, close: () => {} };
  const server = net.createServer((client) => {
    const up = net.connect(port, "127.0.0.1");
    sockets.add(client).add(up);
    let back = 0;
    client.pipe(up);
    up.on("data", (chunk: Buffer) => {
      back += chunk.length;
      if (state.reached || back <= limit) return void client.write(chunk);
      state.reached = true;
      up.pause();
      void atLimit().then((then) => {
        if (then === "cut") return sockets.forEach((s) => s.destroy());
        client.write(chunk);
        up.resume();
      });
    });
    for (const s of [client, up]) s.on("error", () => {});
    up.on("end", () => client.end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () => {
    sockets.forEach((s) => s.destroy());
    server.close();
  };
  return state;
}

/** Runs `during` while the fleet's list gives host `name`'s address as `address` (a proxy's). */
export async function withHostAddress<T>(url: string, name: string, address: string, during: () => Promise<T>) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query<{ address: string }>(`SELECT address FROM "Host" WHERE name = $1`, [name]);
  try {
    await db.query(`UPDATE "Host" SET address = $1 WHERE name = $2`, [address, name]);
    return await during();
  } finally {
    await db.query(`UPDATE "Host" SET address = $1 WHERE name = $2`, [rows[0].address, name]);
    await db.end();
  }
}
