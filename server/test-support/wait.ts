// Small waits the integration tests share: a free loopback port, and polling until true.
import net from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * waitFor for work that shows progress (a guest printing a long count): fails only after
 * `quietMs` with no progress — a hang — however long the whole takes on a loaded host.
 * `probe` gives the result once done, else how far it got (any change counts as progress).
 */
export async function waitWhileProgressing<T>(
  what: string,
  probe: () => Promise<{ done: T } | { progress: unknown }>,
  quietMs = 60_000,
): Promise<T> {
  let last: unknown = undefined;
  let until = Date.now() + quietMs;
  for (;;) {
    const v = await probe();
    if ("done" in v) return v.done;
    if (v.progress !== last) {
      last = v.progress;
      until = Date.now() + quietMs;
    } else if (Date.now() > until) throw new Error(`no progress in ${quietMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
