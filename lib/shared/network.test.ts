import { describe, expect, it } from "vitest";
import { guestAddressing, guestMac, guestTap, USER_NET } from "./network";

describe("guest addressing", () => {
  it("gives every user-network guest the same private address and a bridged guest its reserved one", () => {
    expect(guestAddressing("user", null, "10.77.0.1/24")).toEqual({
      address: USER_NET.address,
      gateway: USER_NET.gateway,
      dns: USER_NET.dns,
      dhcp: false,
    });
    expect(guestAddressing("bridge", 23, "10.9.8.1/24")).toEqual({
      address: "10.9.8.23/24",
      gateway: "10.9.8.1",
      dns: null,
      dhcp: true,
    });
    expect(guestAddressing("bridge", null, "10.9.8.1/24")).toBeNull();
    expect(guestAddressing("none", 23, "10.9.8.1/24")).toBeNull();
  });

  it("derives a stable, locally administered MAC and a short tap name from the guest id", () => {
    const mac = guestMac("clx1abcdefghijklmnop");
    expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(guestMac("clx1abcdefghijklmnop")).toBe(mac);
    expect(guestMac("clx1abcdefghijklmnoq")).not.toBe(mac);
    expect(guestTap("clx1abcdefghijklmnop").length).toBeLessThanOrEqual(15);
  });
});
