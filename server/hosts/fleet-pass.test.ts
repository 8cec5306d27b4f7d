import { describe, expect, it } from "vitest";
import { bodyDigest, FleetPasses, WINDOW_MS } from "./fleet-pass";

const SECRET = "s".repeat(40);
const a = { id: "host-a", name: "fleet-a" };
const b = { id: "host-b", name: "fleet-b" };
const actor = { user: "u1", scope: "role" as const, ip: "10.0.0.9" };
const http = (method: string, path: string, body = bodyDigest()) => ({ http: { method, path, body } });

describe("fleet passes", () => {
  it("lets the named host do exactly the request it was issued for, once", () => {
    const pass = new FleetPasses(SECRET, a).issue("host-b", actor, http("POST", "/api/guests/g1/stop"));
    const atB = new FleetPasses(SECRET, b);
    const claims = atB.check(pass, { http: { method: "POST", path: "/api/guests/g1/stop" } });
    expect(claims).toMatchObject({ from: "host-a", to: "host-b", user: "u1", scope: "role", ip: "10.0.0.9" });
    expect(atB.check(pass, { http: { method: "POST", path: "/api/guests/g1/stop" } })).toContain("used before");
  });

  it("refuses another request, another host, another secret, an edited pass, and a socket use", () => {
    const pass = () => new FleetPasses(SECRET, a).issue("host-b", actor, http("POST", "/api/guests/g1/stop"));
    const atB = new FleetPasses(SECRET, b);
    expect(atB.check(pass(), { http: { method: "POST", path: "/api/guests/g2/stop" } })).toContain("another request");
    expect(atB.check(pass(), { http: { method: "DELETE", path: "/api/guests/g1/stop" } })).toContain("another request");
    expect(atB.check(pass(), { socket: true })).toContain("not issued for a console link");
    const atC = new FleetPasses(SECRET, { id: "host-c", name: "fleet-c" });
    expect(atC.check(pass(), { http: { method: "POST", path: "/api/guests/g1/stop" } })).toContain(
      "names another host",
    );
    const otherSecret = new FleetPasses("t".repeat(40), b);
    expect(otherSecret.check(pass(), { http: { method: "POST", path: "/api/guests/g1/stop" } })).toContain(
      "signature is wrong",
    );
    const [body, mac] = pass().split(".");
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, user: "admin" })).toString("base64url");
    expect(atB.check(`${forged}.${mac}`, { http: { method: "POST", path: "/api/guests/g1/stop" } })).toContain(
      "signature is wrong",
    );
    for (const junk of ["", "x", "a.b.c", `${body}.`, "x".repeat(5000)])
      expect(typeof atB.check(junk, { socket: true })).toBe("string");
  });

  it("refuses a stale pass, and one from the future, past the window", () => {
    let now = 1_000_000_000;
    const issuer = new FleetPasses(SECRET, a, () => now);
    const atB = new FleetPasses(SECRET, b, () => now);
    const use = { http: { method: "GET", path: "/x" } };
    const old = issuer.issue("host-b", actor, http("GET", "/x"));
    now += WINDOW_MS + 1;
    expect(atB.check(old, use)).toContain("stale");
    const early = issuer.issue("host-b", actor, http("GET", "/x"));
    now -= 2 * WINDOW_MS + 2;
    expect(atB.check(early, use)).toContain("stale");
    now += 2 * WINDOW_MS + 2; // back to when it was issued: fresh
    expect(atB.check(early, use)).toMatchObject({ to: "host-b" });
  });

  it("carries a console link's viewer", () => {
    const pass = new FleetPasses(SECRET, a).issue(
      "host-b",
      { ...actor, scope: "read", tokenId: "t1" },
      { socket: { viewer: "sock1" } },
    );
    expect(new FleetPasses(SECRET, b).check(pass, { socket: true })).toMatchObject({
      socket: { viewer: "sock1" },
      scope: "read",
      tokenId: "t1",
    });
  });
});
