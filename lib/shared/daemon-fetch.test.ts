import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonFetch } from "./daemon-fetch";

// A server that, like one whose idle timeout just fired, drops a kept-alive connection the
// moment a second request arrives on it; a fresh connection is answered normally.
describe("daemonFetch on a keep-alive socket the server has just closed", () => {
  let server: http.Server;
  let url = "";
  let received = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { served?: boolean };
      if (socket.served) return void socket.destroy();
      socket.served = true;
      received++;
      req.resume();
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // One request leaves a kept-alive socket in the client's pool (it is back there one turn
  // of the event loop after the body was read); the next request reuses it.
  const warm = async () => {
    expect(await (await fetch(url)).text()).toBe("ok");
    await new Promise((r) => setImmediate(r));
  };

  it("plain fetch fails there (the fault this guards against)", async () => {
    await warm();
    await expect(fetch(url)).rejects.toThrow(TypeError);
  });

  it("sends an idempotent request once more on a fresh connection", async () => {
    await warm();
    const before = received;
    const res = await daemonFetch(url, { method: "GET" });
    expect(await res.text()).toBe("ok");
    expect(received).toBe(before + 1);
  });

  it("never repeats a request that may change something", async () => {
    await warm();
    const before = received;
    await expect(daemonFetch(url, { method: "POST", body: "{}" })).rejects.toThrow(TypeError);
    expect(received).toBe(before);
  });
});
